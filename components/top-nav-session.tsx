"use client";
// The header's signed-in part: the links the operator's role allows (with the count waiting for
// sign-off) and the operator's menu. It shows once the session says who is signed in, so its code
// loads beside that request rather than with the page (top-nav.tsx).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ConsoleLink } from "./ui/console-link";
import { usePathname } from "next/navigation";
import type { Permission } from "@/lib/auth/roles";
import { useLiveUpdates } from "@/lib/query/live-stream";
import { approvalQueries } from "@/lib/query/approval-queries";
import { sessionMutations } from "@/lib/query/session-mutations";
import { Button } from "./ui/button";
import { cn } from "./ui/class-names";
import { useOperator } from "./use-operator";

// On a phone the header has two rows: name and sign-out, then the links (API tokens among them, where
// the operator menu has no room for it), which scroll sideways in their own strip rather than wrap.
const LINKS: readonly { href: string; label: string; needs: Permission; isActive: (path: string) => boolean; phoneOnly?: boolean }[] = [
  { href: "/", label: "Dashboard", needs: "read", isActive: (path: string) => path === "/" || path.startsWith("/findings") },
  { href: "/submit", label: "Submit finding", needs: "submit", isActive: (path: string) => path.startsWith("/submit") },
  { href: "/approvals", label: "Approvals", needs: "read", isActive: (path: string) => path.startsWith("/approvals") },
  { href: "/pull-requests", label: "Pull requests", needs: "read", isActive: (path: string) => path.startsWith("/pull-requests") },
  { href: "/tickets", label: "Tickets & outbox", needs: "read", isActive: (path: string) => path.startsWith("/tickets") },
  { href: "/calibration", label: "Calibration", needs: "read", isActive: (path: string) => path.startsWith("/calibration") },
  { href: "/policy", label: "Policy", needs: "approve", isActive: (path: string) => path.startsWith("/policy") },
  { href: "/tokens", label: "API tokens", needs: "read", isActive: (path: string) => path.startsWith("/tokens"), phoneOnly: true },
  { href: "/integrations", label: "Integrations", needs: "administer", isActive: (path: string) => path.startsWith("/integrations") },
];

export function OperatorMenu() {
  const queryClient = useQueryClient();
  const { operator } = useOperator();
  const signOut = useMutation(sessionMutations.signOut(queryClient));
  if (!operator) return null;
  return (
    <div className="ml-auto flex min-w-0 items-center gap-3 text-sm">
      <span className="min-w-0 truncate text-slate-700" data-testid="signed-in-as" title={`${operator.name} (${operator.roles.join(", ")})`}>
        <span className="font-medium">{operator.name}</span> <span className="text-slate-500">({operator.roles.join(", ")})</span>
      </span>
      <ConsoleLink href="/tokens" className="hidden whitespace-nowrap text-slate-600 hover:text-slate-900 hover:underline lg:inline">
        API tokens
      </ConsoleLink>
      <Button
        variant="ghost"
        size="sm"
        className="shrink-0"
        disabled={signOut.isPending}
        onClick={() => signOut.mutate(undefined, { onSuccess: () => window.location.assign("/sign-in") })}
      >
        Sign out
      </Button>
    </div>
  );
}

/** The links of the main navigation, for a signed-in operator. */
export function NavLinks() {
  const pathname = usePathname();
  const { operator, may } = useOperator();
  useLiveUpdates({}, !!operator);
  const inbox = useQuery({ ...approvalQueries.inbox(), enabled: !!operator });
  const pending = inbox.data?.items.length ?? 0;
  return LINKS.filter((link) => may(link.needs)).map((link) => {
    const active = link.isActive(pathname);
    return (
      <ConsoleLink
        key={link.href}
        href={link.href}
        aria-current={active ? "page" : undefined}
        className={cn(
          "inline-flex h-8 shrink-0 items-center gap-2 rounded-md px-3 text-sm font-medium whitespace-nowrap lg:px-2 text-slate-600 transition-colors hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600",
          active && "bg-slate-100 text-slate-900",
          link.phoneOnly && "lg:hidden",
        )}
      >
        {link.label}
        {link.href === "/approvals" && pending > 0 ? (
          <span
            className="rounded-full bg-amber-500 px-1.5 py-px text-xs font-semibold text-white"
            data-testid="nav-pending-count"
            aria-label={`${pending} waiting for sign-off`}
          >
            {pending}
          </span>
        ) : null}
      </ConsoleLink>
    );
  });
}
