"use client";
// The submit page's body: the finding form for operators who may submit, a reason for everyone else.
import { lazy, Suspense, useEffect } from "react";
import { Notice } from "./ui/notice";
import { useOperator } from "./use-operator";

// The form (and react-hook-form with it) is not part of the page's first load: nothing shows before the
// session says who may submit, so it loads beside the session query instead of after it.
const FindingForm = lazy(() => import("./finding-form").then((module) => ({ default: module.FindingForm })));

/** The form for operators who may submit; others are told why there is none (the API refuses them too). */
export function SubmitFinding() {
  const { operator, may, isLoading } = useOperator();
  useEffect(() => void import("./finding-form"), []);
  if (isLoading) return null;
  if (!may("submit")) {
    return (
      <Notice tone="warning" data-testid="no-submit-role">
        Your role ({operator?.roles.join(", ") ?? "none"}) cannot submit findings; ask an admin for the submitter role.
      </Notice>
    );
  }
  return (
    <Suspense>
      <FindingForm />
    </Suspense>
  );
}
