// Which adapter each port uses and which variables configure it: the Integrations page's catalog.
// A new adapter adds its variables here (names only; secrets are marked so their values never show).
import type { ServicesConfig } from "../config";
import type { Integration, IntegrationPort } from "../contracts/integrations";

export const PORT_LABELS: Record<IntegrationPort, string> = {
  planner: "Executor agents' model",
  judge: "Judge model",
  workspace: "Agent workspaces",
  codeHost: "Code host (pull requests)",
  issueTracker: "Issue tracker (tickets)",
  chat: "Chat (notifications)",
  audit: "Audit sink",
  evalStore: "Eval store",
};

interface Setting {
  variable: string;
  secret: boolean;
}
const plain = (variable: string): Setting => ({ variable, secret: false });
const secret = (variable: string): Setting => ({ variable, secret: true });

const MODEL_SETTINGS = [
  plain("LLM_BASE_URL"),
  secret("LLM_API_KEY"),
  plain("LLM_MODEL"),
  plain("LLM_MODEL_FAST"),
  plain("LLM_MODEL_CONSERVATIVE"),
  plain("LLM_MODEL_JUDGE"),
];

/** Per port, per adapter name: the variables it reads. */
export const ADAPTER_SETTINGS: Partial<Record<IntegrationPort, Record<string, Setting[]>>> = {
  planner: { "openai-compatible": MODEL_SETTINGS, anthropic: MODEL_SETTINGS },
  judge: { "openai-compatible": MODEL_SETTINGS, anthropic: MODEL_SETTINGS },
  workspace: { git: [plain("REPOS_DIR"), plain("WORKSPACES_DIR"), plain("WORKSPACE_SANDBOX")] },
  codeHost: {
    local: [plain("REPOS_DIR"), plain("OUTSIDE_WORLD_DIR"), plain("CONSOLE_URL")],
    github: [secret("GITHUB_TOKEN"), plain("GITHUB_API_URL"), plain("GITHUB_OWNER"), plain("GITHUB_TIMEOUT_MS"), plain("CONSOLE_URL")],
  },
  issueTracker: {
    local: [plain("OUTSIDE_WORLD_DIR")],
    github: [plain("GITHUB_API_URL"), secret("GITHUB_TOKEN"), plain("GITHUB_ISSUES_REPO"), plain("GITHUB_TIMEOUT_MS")],
    jira: [
      plain("JIRA_BASE_URL"),
      plain("JIRA_EMAIL"),
      secret("JIRA_API_TOKEN"),
      plain("JIRA_PROJECT_KEY"),
      plain("JIRA_CLOSE_TRANSITION"),
      plain("JIRA_TIMEOUT_MS"),
    ],
  },
  chat: {
    local: [plain("OUTSIDE_WORLD_DIR")],
    slack: [plain("SLACK_API_URL"), secret("SLACK_BOT_TOKEN"), plain("SLACK_CHANNEL"), plain("SLACK_TIMEOUT_MS")],
    webhook: [plain("CHAT_WEBHOOK_URL"), secret("CHAT_WEBHOOK_SECRET"), plain("CHAT_WEBHOOK_TIMEOUT_MS")],
  },
  audit: {
    local: [plain("OUTSIDE_WORLD_DIR")],
    siem: [plain("SIEM_URL"), plain("SIEM_FORMAT"), secret("SIEM_TOKEN"), plain("SIEM_TIMEOUT_MS")],
  },
  evalStore: {
    local: [plain("OUTSIDE_WORLD_DIR")],
    langfuse: [plain("LANGFUSE_BASE_URL"), plain("LANGFUSE_PUBLIC_KEY"), secret("LANGFUSE_SECRET_KEY"), plain("LANGFUSE_TIMEOUT_MS")],
  },
};

const SELECTED_BY: Record<IntegrationPort, keyof ServicesConfig> = {
  planner: "LLM_PROVIDER",
  judge: "LLM_PROVIDER",
  workspace: "LLM_PROVIDER",
  codeHost: "CODE_HOST",
  issueTracker: "ISSUE_TRACKER",
  chat: "CHAT",
  audit: "AUDIT_SINK",
  evalStore: "EVAL_STORE",
};

export function selectedAdapter(port: IntegrationPort, config: ServicesConfig): Pick<Integration, "adapter" | "kind" | "selectedBy"> {
  const selectedBy = SELECTED_BY[port];
  const choice = String(config[selectedBy]);
  if (port === "workspace") return { adapter: choice === "stub" ? "stub" : "git", kind: choice === "stub" ? "stub" : "embedded", selectedBy };
  return { adapter: choice, kind: choice === "stub" ? "stub" : choice === "local" ? "embedded" : "remote", selectedBy };
}

/** The page's view of one port: its adapter and settings from the configuration (a secret's value never), plus what it did. */
export function describeIntegration(
  port: IntegrationPort,
  config: ServicesConfig,
  env: Record<string, string | undefined>,
  seen: Pick<Integration, "lastCall" | "lastError" | "canTestConnection">,
): Integration {
  const { adapter, kind, selectedBy } = selectedAdapter(port, config);
  const settings = (ADAPTER_SETTINGS[port]?.[adapter] ?? []).map(({ variable, secret }) => {
    const value = env[variable];
    const set = Boolean(value || env[`${variable}_FILE`]);
    return { variable, secret, set, ...(!secret && value ? { value } : {}) };
  });
  return { port, label: PORT_LABELS[port], adapter, kind, selectedBy, settings, ...seen };
}
