// Which issue tracker and chat the services use (ISSUE_TRACKER, CHAT): the embedded ones by default,
// a real system's adapter when named (its settings are read here, before the services listen, and a
// bad one stops them naming the variable), or, for "stub", nothing: the ledger stubs stay in place.
import type { ServicesConfig } from "../config";
import type { Env } from "./adapter-settings";
import { githubIssueTracker, githubIssuesSettings } from "./github/issues";
import { jiraIssueTracker, jiraSettings } from "./jira/jira-tracker";
import { localChat } from "./local/local-chat";
import { localIssueTracker } from "./local/local-tracker";
import type { ChatNotifier, IssueTracker } from "./ports";
import { slackChat, slackChatSettings } from "./slack/slack-chat";
import { webhookChat, webhookChatSettings } from "./webhook/webhook-chat";

function issueTracker(config: ServicesConfig, env: Env): IssueTracker | undefined {
  switch (config.ISSUE_TRACKER) {
    case "local":
      return localIssueTracker(config.OUTSIDE_WORLD_DIR);
    case "github":
      return githubIssueTracker(githubIssuesSettings(env));
    case "jira":
      return jiraIssueTracker(jiraSettings(env));
    case "stub":
      return undefined;
  }
}

function chat(config: ServicesConfig, env: Env): ChatNotifier | undefined {
  switch (config.CHAT) {
    case "local":
      return localChat(config.OUTSIDE_WORLD_DIR);
    case "slack":
      return slackChat(slackChatSettings(env));
    case "webhook":
      return webhookChat(webhookChatSettings(env));
    case "stub":
      return undefined;
  }
}

export function trackerAndChat(config: ServicesConfig, env: Env): { issueTracker?: IssueTracker; chat?: ChatNotifier } {
  const tracker = issueTracker(config, env);
  const notifier = chat(config, env);
  return { ...(tracker ? { issueTracker: tracker } : {}), ...(notifier ? { chat: notifier } : {}) };
}
