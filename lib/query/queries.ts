// Every query and mutation of the console, built in one place: the key and the fetch travel
// together, so hooks stay thin and invalidation only ever goes through these keys.
import { keepPreviousData, mutationOptions, queryOptions, type QueryClient } from "@tanstack/react-query";
import type { ApprovalInput, CancelInput, CreateTokenInput, LoginInput, FindingDetail, FindingSummary, ListedStage } from "@/lib/api/contracts";
import type { CalibrationFilters } from "@/lib/calibration";
import type { WhatIfInput } from "@/lib/policy-what-if";
import type { Finding } from "@/restate/contracts/schemas";
import { FINISHED_STAGES, type Severity, type Stage } from "@/restate/contracts/vocabulary";
import { ApiRequestError, requestJson, setSigningOut } from "./api-client";
import { isStreamCovering } from "./live-state";

/** How often a page asks again while something on it is still moving. */
export const LIVE_REFRESH_MS = 1_500;
/** How often the dashboard and the inbox look for other operators' new runs when nothing is moving. */
export const IDLE_REFRESH_MS = 10_000;
/** A run submitted a moment ago may not have recorded its finding yet: keep asking this long before giving up. */
const NEW_RUN_GRACE_MS = 30_000;

/** Polling is the fallback: while the tab's change stream (live-stream.ts) is open, nothing polls. */
const polling = (interval: number | false): number | false => (isStreamCovering() ? false : interval);

export function isFinishedStage(stage: Stage | null | undefined): boolean {
  return stage != null && FINISHED_STAGES.includes(stage);
}

export function isLiveRun(run: Pick<FindingSummary, "stage" | "invocationStatus">): boolean {
  if (run.stage === null) return run.invocationStatus !== "completed";
  if (run.stage === "refused") return false;
  return !isFinishedStage(run.stage);
}

export interface FindingListFilters {
  stage?: ListedStage;
  severity?: Severity;
  cursor?: string;
  limit?: number;
}

export const queryKeys = {
  findings: ["findings"] as const,
  findingLists: ["findings", "list"] as const,
  findingList: (filters: FindingListFilters) => ["findings", "list", filters] as const,
  finding: (findingId: string) => ["findings", "detail", findingId] as const,
  approvals: ["approvals"] as const,
  pullRequests: (findingId?: string) => ["pull-requests", findingId ?? "all"] as const,
  session: ["session"] as const,
  tokens: ["tokens"] as const,
  integrations: ["integrations"] as const,
  calibration: (filters: CalibrationFilters) => ["calibration", filters.promptVersion ?? "", filters.judgeModel ?? ""] as const,
  ticketsAndOutbox: ["tickets-and-outbox"] as const,
  policy: ["policy"] as const,
  journal: (invocationId: string) => ["journal", invocationId, "timeline"] as const,
  journalEntry: (invocationId: string, index: number) => ["journal", invocationId, "entry", index] as const,
};

const segment = encodeURIComponent;

function listSearch(filters: FindingListFilters): string {
  const params = new URLSearchParams();
  if (filters.stage) params.set("stage", filters.stage);
  if (filters.severity) params.set("severity", filters.severity);
  if (filters.cursor) params.set("cursor", filters.cursor);
  if (filters.limit) params.set("limit", String(filters.limit));
  const search = params.toString();
  return search ? `?${search}` : "";
}

export const findingQueries = {
  list: (filters: FindingListFilters) =>
    queryOptions({
      queryKey: queryKeys.findingList(filters),
      queryFn: ({ signal }) => requestJson(`/api/findings${listSearch(filters)}`, (c) => c.FindingListResponseSchema, { signal }),
      // Changing a filter or a page keeps the old rows on screen until the new ones arrive.
      placeholderData: keepPreviousData,
      refetchInterval: (query) => polling(query.state.data?.items.some(isLiveRun) ? LIVE_REFRESH_MS : IDLE_REFRESH_MS),
    }),

  detail: (findingId: string) =>
    queryOptions({
      queryKey: queryKeys.finding(findingId),
      queryFn: ({ signal }) => requestJson(`/api/findings/${segment(findingId)}`, (c) => c.FindingDetailSchema, { signal }),
      refetchInterval: (query) => {
        const { data, error, dataUpdatedAt, errorUpdateCount } = query.state;
        if (data) return isFinishedStage(data.status.stage) ? false : polling(LIVE_REFRESH_MS);
        // Just submitted: the workflow may not have written its state yet. Keep looking for a while.
        if (error instanceof ApiRequestError && error.isNotFound && dataUpdatedAt === 0) {
          return errorUpdateCount * LIVE_REFRESH_MS < NEW_RUN_GRACE_MS ? polling(LIVE_REFRESH_MS) : false;
        }
        return false;
      },
    }),
};

export const approvalQueries = {
  inbox: () =>
    queryOptions({
      queryKey: queryKeys.approvals,
      queryFn: ({ signal }) => requestJson("/api/approvals", (c) => c.ApprovalInboxResponseSchema, { signal }),
      refetchInterval: (query) => polling(query.state.data?.items.length ? LIVE_REFRESH_MS * 2 : IDLE_REFRESH_MS / 2),
    }),
};

export const ticketsAndOutboxQueries = {
  list: () =>
    queryOptions({
      queryKey: queryKeys.ticketsAndOutbox,
      queryFn: ({ signal }) => requestJson("/api/tickets", (c) => c.TicketsAndOutboxSchema, { signal }),
      refetchInterval: () => polling(IDLE_REFRESH_MS),
    }),
};

export const pullRequestQueries = {
  /** The embedded code host's PRs (one run's with `findingId`); a run's PR can be closed later by its compensation. */
  list: (findingId?: string) =>
    queryOptions({
      queryKey: queryKeys.pullRequests(findingId),
      queryFn: ({ signal }) =>
        requestJson(`/api/pull-requests${findingId ? `?finding=${segment(findingId)}` : ""}`, (c) => c.PullRequestListResponseSchema, { signal }),
      refetchInterval: () => polling(IDLE_REFRESH_MS),
    }),
};

/** The URL query of the calibration routes' filters ("" when none). */
export function calibrationQueryString(filters: CalibrationFilters): string {
  const params = new URLSearchParams();
  if (filters.promptVersion) params.set("promptVersion", filters.promptVersion);
  if (filters.judgeModel) params.set("judgeModel", filters.judgeModel);
  const text = params.toString();
  return text ? `?${text}` : "";
}

export const calibrationQueries = {
  /** Finished runs change it rarely: asked again when nothing moves, like the lists. */
  report: (filters: CalibrationFilters) =>
    queryOptions({
      queryKey: queryKeys.calibration(filters),
      queryFn: ({ signal }) => requestJson(`/api/calibration${calibrationQueryString(filters)}`, (c) => c.CalibrationReportSchema, { signal }),
      refetchInterval: () => polling(IDLE_REFRESH_MS),
    }),
};

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

export const journalQueries = {
  timeline: (invocationId: string) =>
    queryOptions({
      queryKey: queryKeys.journal(invocationId),
      queryFn: ({ signal }) => requestJson(`/api/invocations/${segment(invocationId)}/journal`, (c) => c.JournalTimelineSchema, { signal }),
      refetchInterval: (query) => {
        const status = query.state.data?.invocation.status;
        return status === undefined || status === "completed" ? false : polling(LIVE_REFRESH_MS);
      },
    }),

  /** One entry with its payloads. Journal entries never change once written, so one fetch is enough. */
  entry: (invocationId: string, index: number) =>
    queryOptions({
      queryKey: queryKeys.journalEntry(invocationId, index),
      queryFn: ({ signal }) => requestJson(`/api/invocations/${segment(invocationId)}/journal/${index}`, (c) => c.JournalEntryDetailSchema, { signal }),
      staleTime: Infinity,
    }),
};

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

export const sessionQueries = {
  /** Who is signed in; pages ask once and share it (sign-in and sign-out reset it). */
  current: () =>
    queryOptions({
      queryKey: queryKeys.session,
      queryFn: ({ signal }) => requestJson("/api/session", (c) => c.SessionResponseSchema, { signal }),
      staleTime: 60_000,
    }),
};

export const sessionMutations = {
  signIn: (queryClient: QueryClient) =>
    mutationOptions({
      mutationKey: ["session", "sign-in"],
      mutationFn: (credentials: LoginInput) =>
        requestJson("/api/auth/login", (c) => c.SessionResponseSchema.pick({ operator: true }), { method: "POST", body: credentials }),
      onSuccess: () => queryClient.clear(),
    }),
  signOut: (queryClient: QueryClient) =>
    mutationOptions({
      mutationKey: ["session", "sign-out"],
      mutationFn: () => requestJson("/api/auth/logout", (c) => c.SignedOutSchema, { method: "POST" }),
      onMutate: () => setSigningOut(true),
      onError: () => setSigningOut(false),
      onSuccess: () => queryClient.clear(),
    }),
};

export const tokenQueries = {
  mine: () =>
    queryOptions({
      queryKey: queryKeys.tokens,
      queryFn: ({ signal }) => requestJson("/api/tokens", (c) => c.ApiTokenListSchema, { signal }),
    }),
};

export const integrationQueries = {
  overview: () =>
    queryOptions({
      queryKey: queryKeys.integrations,
      queryFn: ({ signal }) => requestJson("/api/integrations", (c) => c.IntegrationsOverviewSchema, { signal }),
      refetchInterval: IDLE_REFRESH_MS,
    }),
};

export const integrationMutations = {
  testConnection: (queryClient: QueryClient) =>
    mutationOptions({
      mutationKey: ["integrations", "test"],
      mutationFn: (port: string) => requestJson("/api/integrations/test", (c) => c.ConnectionTestSchema, { method: "POST", body: { port } }),
      onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.integrations }),
    }),
};

export const tokenMutations = {
  create: (queryClient: QueryClient) =>
    mutationOptions({
      mutationKey: ["tokens", "create"],
      mutationFn: (input: CreateTokenInput) => requestJson("/api/tokens", (c) => c.CreatedTokenSchema, { method: "POST", body: input }),
      onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.tokens }),
    }),
  revoke: (queryClient: QueryClient) =>
    mutationOptions({
      mutationKey: ["tokens", "revoke"],
      mutationFn: (tokenId: string) => requestJson(`/api/tokens/${segment(tokenId)}`, (c) => c.RevokedTokenSchema, { method: "DELETE" }),
      onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.tokens }),
    }),
};
