// Submitting a finding, and deciding or cancelling a run (lib/query/queries.ts has the keys).
import { mutationOptions, type QueryClient } from "@tanstack/react-query";
import type { ApprovalInput, CancelInput, FindingDetail } from "@/lib/api/contracts";
import type { Finding } from "@/restate/contracts/schemas";
import { requestJson } from "./api-client";
import { queryKeys, segment } from "./queries";

/**
 * What the run page can show the moment a finding was accepted, before the workflow has written any
 * state: the status of a run that recorded only its finding. It renders the page at once, and since
 * it counts as fresh, the first real read comes a refresh interval later, once the workflow has
 * recorded its finding (asking at once could meet a 404 for a run that is still starting).
 */
export async function justSubmittedRun(finding: Finding): Promise<FindingDetail> {
  // Loaded with the contracts the submission was checked with, not on the page's first load.
  const { runStatus } = await import("@/restate/contracts/schemas");
  return {
    status: runStatus(finding.id, { finding }),
    ladder: [],
    workflowInvocation: null,
    restateUiUrl: null,
    integrity: { state: "verified", problems: [], checked: 0 },
  };
}

/** A decision or a cancel changes the run and the approvals inbox. */
const invalidateRuns = (queryClient: QueryClient) =>
  Promise.all([queryClient.invalidateQueries({ queryKey: queryKeys.findings }), queryClient.invalidateQueries({ queryKey: queryKeys.approvals })]);

export const findingMutations = {
  submit: (queryClient: QueryClient) =>
    mutationOptions({
      mutationKey: ["findings", "submit"],
      mutationFn: (finding: Finding) => requestJson("/api/findings", (c) => c.SubmitFindingResponseSchema, { method: "POST", body: finding }),
      onSuccess: async (response, finding) => {
        if (response.submission === "started") queryClient.setQueryData(queryKeys.finding(finding.id), await justSubmittedRun(finding));
        // Only the lists: invalidating the detail too would throw the seeded run away on arrival.
        return queryClient.invalidateQueries({ queryKey: queryKeys.findingLists });
      },
    }),

  decide: (queryClient: QueryClient, findingId: string) =>
    mutationOptions({
      mutationKey: ["findings", "approval", findingId],
      mutationFn: (decision: ApprovalInput) =>
        requestJson(`/api/findings/${segment(findingId)}/approval`, (c) => c.ApprovalResponseSchema, { method: "POST", body: decision }),
      onSettled: () => invalidateRuns(queryClient),
    }),
  cancel: (queryClient: QueryClient, findingId: string) =>
    mutationOptions({
      mutationKey: ["findings", "cancel", findingId],
      mutationFn: (input: CancelInput) =>
        requestJson(`/api/findings/${segment(findingId)}/cancel`, (c) => c.CancelResponseSchema, { method: "POST", body: input }),
      onSettled: () => invalidateRuns(queryClient),
    }),
};
