// The services endpoint for audit-log.test.ts: the product's own (restate/app.ts), except that the
// first audit export of a finding whose id starts with "hold-" stops right after its write, before
// the journal hears of it, and waits there for the test to SIGKILL the process. The reference it
// wrote goes to AUDIT_HOLD_MARKER, which also makes every later export (after the restart) run through.
import { existsSync, writeFileSync } from "node:fs";
import { adapters } from "../adapters/index";

const marker = process.env.AUDIT_HOLD_MARKER;
if (!marker) throw new Error("AUDIT_HOLD_MARKER: required by the audit-hold services");
const sink = adapters.audit;
adapters.audit = {
  async exportAuditRecord(input) {
    const ref = await sink.exportAuditRecord(input);
    if (input.findingId.startsWith("hold-") && !existsSync(marker)) {
      writeFileSync(marker, ref.id);
      await new Promise(() => {});
    }
    return ref;
  },
};

await import("../app");
