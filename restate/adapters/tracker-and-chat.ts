// Which issue tracker and chat the services use (ISSUE_TRACKER, CHAT): the embedded ones by default,
// a real system's adapter when named (its settings are checked here, before the services listen), or,
// for "stub", nothing: the ledger stubs stay in place.
import type { ServicesConfig } from "../config";
import { localChat } from "./local/local-chat";
import { localIssueTracker } from "./local/local-tracker";
import type { ChatNotifier, IssueTracker } from "./ports";

function issueTracker(config: ServicesConfig): IssueTracker | undefined {
  switch (config.ISSUE_TRACKER) {
    case "local":
      return localIssueTracker(config.OUTSIDE_WORLD_DIR);
    case "stub":
      return undefined;
  }
}

function chat(config: ServicesConfig): ChatNotifier | undefined {
  switch (config.CHAT) {
    case "local":
      return localChat(config.OUTSIDE_WORLD_DIR);
    case "stub":
      return undefined;
  }
}

export function trackerAndChat(config: ServicesConfig): { issueTracker?: IssueTracker; chat?: ChatNotifier } {
  const tracker = issueTracker(config);
  const notifier = chat(config);
  return { ...(tracker ? { issueTracker: tracker } : {}), ...(notifier ? { chat: notifier } : {}) };
}
