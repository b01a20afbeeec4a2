"use client";
// The console's header: where you are, how many runs wait for a human, and who you are signed in as.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { Permission } from "@/lib/auth/roles";
import { approvalQueries, sessionMutations } from "@/lib/query/queries";
import { Button } from "./ui/button";
import { cn } from "./ui/class-names";
import { useOperator } from "./use-operator";

const LINKS: readonly { href: string; label: string; needs: Permission; isActive: (path: string) => boolean }[] = [
  { href: "/", label: "Dashboard", needs: "read", isActive: (path: string) => path === "/" || path.startsWith("/findings") },
  { href: "/submit", label: "Submit finding", needs: "submit", isActive: (path: string) => path.startsWith("/submit") },
  { href: "/approvals", label: "Approvals", needs: "read", isActive: (path: string) => path.startsWith("/approvals") },
];

function OperatorMenu() {
  const queryClient = useQueryClient();
  const { operator } = useOperator();
  const signOut = useMutation(sessionMutations.signOut(queryClient));
  if (!operator) return null;
  return (
    <div className="ml-auto flex items-center gap-3 text-sm">
      <span className="text-slate-700" data-testid="signed-in-as">
        <span className="font-medium">{operator.name}</span> <span className="text-slate-500">({operator.roles.join(", ")})</span>
      </span>
      <Link href="/tokens" className="text-slate-600 hover:text-slate-900 hover:underline">
        API tokens
      </Link>
      <Button variant="ghost" size="sm" disabled={signOut.isPending} onClick={() => signOut.mutate(undefined, { onSuccess: () => window.location.assign("/sign-in") })}>
        Sign out
      </Button>
    </div>
  );
}

export function TopNav() {
  const pathname = usePathname();
  const { operator, may } = useOperator();
  const inbox = useQuery({ ...approvalQueries.inbox(), enabled: !!operator });
  const pending = inbox.data?.items.length ?? 0;

  return (
    <header className="sticky top-0 z-20 border-b border-slate-200 bg-white/95 backdrop-blur">
      <div className="mx-auto flex h-14 max-w-7xl items-center gap-6 px-6">
        <Link
          href="/"
          className="flex items-center gap-2 rounded text-sm font-semibold text-slate-900 focus-visible:outline-2 focus-visible:outline-offset-4 focus-visible:outline-indigo-600"
        >
          <span aria-hidden="true" className="grid size-7 place-items-center rounded-md bg-indigo-600 text-xs font-bold text-white">
            R
          </span>
          Remediation console
        </Link>
        <nav aria-label="Main" className="flex items-center gap-1">
          {LINKS.filter((link) => may(link.needs)).map((link) => {
            const active = link.isActive(pathname);
            return (
              <Link
                key={link.href}
                href={link.href}
                aria-current={active ? "page" : undefined}
                className={cn(
                  "inline-flex h-8 items-center gap-2 rounded-md px-3 text-sm font-medium text-slate-600 transition-colors hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600",
                  active && "bg-slate-100 text-slate-900",
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
              </Link>
            );
          })}
        </nav>
        <OperatorMenu />
      </div>
    </header>
  );
}
