import type { ListedStage } from "@/lib/api/contracts";
import type { Severity } from "@/restate/contracts/schemas";
import { Badge, type BadgeTone } from "./ui/badge";

const STAGE_LOOK: Record<ListedStage, { label: string; tone: BadgeTone; live: boolean }> = {
  received: { label: "Received", tone: "neutral", live: true },
  planning: { label: "Planning", tone: "progress", live: true },
  judging: { label: "Judging", tone: "judge", live: true },
  "awaiting-approval": { label: "Awaiting sign-off", tone: "waiting", live: false },
  executing: { label: "Executing", tone: "info", live: true },
  completed: { label: "Completed", tone: "success", live: false },
  rejected: { label: "Rejected at sign-off", tone: "danger", live: false },
  expired: { label: "Expired at sign-off", tone: "neutral", live: false },
  failed: { label: "Failed", tone: "danger", live: false },
  // Console-side only: the workflow refused the submission before it had a stage.
  refused: { label: "Refused at submission", tone: "danger", live: false },
};

export function stageLabel(stage: ListedStage): string {
  return STAGE_LOOK[stage].label;
}

/** A run's business stage; a pulsing dot while the workflow is actively working. */
export function StageBadge({ stage, className }: { stage: ListedStage | null; className?: string }) {
  if (!stage) {
    return (
      <Badge tone="muted" className={className} data-stage="unknown">
        Unknown
      </Badge>
    );
  }
  const look = STAGE_LOOK[stage];
  return (
    <Badge tone={look.tone} dot={look.live ? "pulse" : true} className={className} data-stage={stage}>
      {look.label}
    </Badge>
  );
}

const SEVERITY_TONE: Record<Severity, BadgeTone> = {
  low: "neutral",
  medium: "info",
  high: "waiting",
  critical: "danger",
};

export function SeverityBadge({ severity }: { severity: Severity | null }) {
  if (!severity) return <span className="text-slate-400">—</span>;
  return (
    <Badge tone={SEVERITY_TONE[severity]} className="capitalize">
      {severity}
    </Badge>
  );
}
