import { describeError } from "@/lib/query/api-client";
import { Button } from "./ui/button";
import { Notice } from "./ui/notice";

/** What a failed query shows: the API's own message and a way to ask again. */
export function ApiErrorNotice({ error, what, onRetry }: { error: unknown; what: string; onRetry?: () => void }) {
  return (
    <Notice tone="error" className="flex flex-wrap items-center justify-between gap-3">
      <span>
        <span className="font-medium">Could not load {what}.</span> {describeError(error)}
      </span>
      {onRetry ? (
        <Button variant="secondary" size="sm" onClick={onRetry}>
          Try again
        </Button>
      ) : null}
    </Notice>
  );
}
