// The effective policy and the what-if evaluation (lib/query/queries.ts has the keys).
import { mutationOptions, queryOptions } from "@tanstack/react-query";
import type { WhatIfInput } from "@/lib/policy-what-if";
import { requestJson } from "./api-client";
import { queryKeys } from "./queries";

export const policyQueries = {
  /** The policy the services run with: it changes only when they restart with another file. */
  effective: () =>
    queryOptions({
      queryKey: queryKeys.policy,
      queryFn: ({ signal }) => requestJson("/api/policy", (c) => c.EffectivePolicySchema, { signal }),
      staleTime: 60_000,
    }),
};

export const policyMutations = {
  /** Evaluates a policy text for a finding and over the latest runs; nothing is cached or changed. */
  whatIf: () =>
    mutationOptions({
      mutationFn: (input: WhatIfInput) => requestJson("/api/policy/what-if", (c) => c.WhatIfResultSchema, { method: "POST", body: input }),
    }),
};
