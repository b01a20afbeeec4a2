// `npm run policy -- <command>`: the sign-off policy file (restate/policy/policy-file.ts).
//   check <file>   checks a policy file: "ok: N rules", or every problem as FILE:line:column: path: message (exit 1)
//   show           prints the policy the services run with: SIGNOFF_POLICY_FILE, or the built-in one
import { readFileSync } from "node:fs";
import { describeProblems, loadPolicy, parsePolicyText, PolicyFileError } from "../restate/policy/policy-file";

/** What the command prints and its exit code. */
export function policyCommand(args: readonly string[], env: Record<string, string | undefined> = process.env): { out: string; code: number } {
  const [command, file] = args;
  switch (command) {
    case "check": {
      if (!file) return { out: "usage: npm run policy -- check <file>", code: 2 };
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch (error) {
        return { out: `${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? "error"})`, code: 1 };
      }
      const parsed = parsePolicyText(text, file);
      if (!parsed.ok) return { out: describeProblems(file, parsed.problems), code: 1 };
      const count = parsed.loaded.policy.rules.length;
      return { out: `ok: ${count} ${count === 1 ? "rule" : "rules"}`, code: 0 };
    }
    case "show": {
      const source = env.SIGNOFF_POLICY_FILE;
      try {
        const loaded = loadPolicy(source);
        return { out: `# ${loaded.source} (${loaded.version}, ${loaded.policy.rules.length} rules)\n${loaded.text.trimEnd()}`, code: 0 };
      } catch (error) {
        if (error instanceof PolicyFileError) return { out: error.message, code: 1 };
        throw error;
      }
    }
    default:
      return { out: "usage: npm run policy -- check <file> | show", code: 2 };
  }
}

if (process.argv[1] && /policy\.ts$/.test(process.argv[1])) {
  const { out, code } = policyCommand(process.argv.slice(2));
  (code === 0 ? console.log : console.error)(out);
  process.exit(code);
}
