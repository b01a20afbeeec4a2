// The console's header: where you are, how many runs wait for a human, and who you are signed in as.
// Its frame is rendered on the server; the links and the operator's menu (top-nav-session.tsx) show once
// the session says who is signed in (top-nav-slots.tsx), their code loading beside that request, not
// with the page. Links that do not fit scroll sideways in their own strip (a phone, a narrow laptop, a
// long count), never the page.
import { NavLinksSlot, OperatorMenuSlot } from "./top-nav-slots";
import { ConsoleLink } from "./ui/console-link";

export function TopNav() {
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
          <NavLinksSlot />
        </nav>
        <OperatorMenuSlot />
      </div>
    </header>
  );
}
