"use client";
// The signed-in operator for the UI: only to hide what a role cannot do. The route handlers enforce it.
import { useQuery } from "@tanstack/react-query";
import { can, type Permission } from "@/lib/auth/grants";
import { sessionQueries } from "@/lib/query/session-queries";

export function useOperator() {
  const session = useQuery(sessionQueries.current());
  const operator = session.data?.operator ?? null;
  return {
    operator,
    oidc: session.data?.oidc ?? false,
    isLoading: session.isPending,
    may: (permission: Permission) => !!operator && can(operator.roles, permission),
  };
}
