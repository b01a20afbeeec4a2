"use client";
// The header's two places that wait for the session (top-nav.tsx): empty until it says who is signed in.
import { lazy, Suspense, useEffect } from "react";
import { useOperator } from "./use-operator";

const NavLinks = lazy(() => import("./top-nav-session").then((module) => ({ default: module.NavLinks })));
const OperatorMenu = lazy(() => import("./top-nav-session").then((module) => ({ default: module.OperatorMenu })));

export function NavLinksSlot() {
  const { operator } = useOperator();
  // Fetched beside the session request rather than after its answer.
  useEffect(() => void import("./top-nav-session"), []);
  return operator ? (
    <Suspense>
      <NavLinks />
    </Suspense>
  ) : null;
}

export function OperatorMenuSlot() {
  const { operator } = useOperator();
  return operator ? (
    <Suspense>
      <OperatorMenu />
    </Suspense>
  ) : null;
}
