"use client";
// The console's header: where you are, how many runs wait for a human, and who you are signed in as.
// The links and the operator's menu (top-nav-session.tsx) show once the session says who is signed in:
// their code loads beside that request, not with the page. Links that do not fit scroll sideways in
// their own strip (a phone, a narrow laptop, a long count), never the page.
import { ConsoleLink } from "./ui/console-link";
import { lazy, Suspense, useEffect } from "react";
import { useOperator } from "./use-operator";

const NavLinks = lazy(() => import("./top-nav-session").then((module) => ({ default: module.NavLinks })));
const OperatorMenu = lazy(() => import("./top-nav-session").then((module) => ({ default: module.OperatorMenu })));

export function TopNav() {
  const { operator } = useOperator();
  useEffect(() => void import("./top-nav-session"), []);

  return (
    <header className="sticky top-0 z-20 border-b border-slate-200 bg-white/95 backdrop-blur">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-1 px-4 pt-2 sm:px-6 lg:h-14 lg:flex-nowrap lg:py-0">
        <ConsoleLink
          href="/"
          className="flex shrink-0 items-center gap-2 rounded text-sm font-semibold whitespace-nowrap text-slate-900 focus-visible:outline-2 focus-visible:outline-offset-4 focus-visible:outline-indigo-600"
        >
          <span aria-hidden="true" className="grid size-7 place-items-center rounded-md bg-indigo-600 text-xs font-bold text-white">
            R
          </span>
          {/* On a phone the mark alone, so the operator and sign-out share the first row. */}
          <span className="sr-only sm:not-sr-only">Remediation console</span>
        </ConsoleLink>
        <nav
          aria-label="Main"
          className="order-last -mx-4 flex w-[calc(100%+2rem)] items-center gap-1 overflow-x-auto px-4 pb-2 sm:-mx-6 sm:w-[calc(100%+3rem)] sm:px-6 lg:order-none lg:mx-0 lg:w-auto lg:min-w-0 lg:p-1"
        >
          {operator ? (
            <Suspense>
              <NavLinks />
            </Suspense>
          ) : null}
        </nav>
        {operator ? (
          <Suspense>
            <OperatorMenu />
          </Suspense>
        ) : null}
      </div>
    </header>
  );
}
