// Text from a scanner or a webhook made fit for a finding: the finding's fields refuse control and
// bidirectional characters and have length limits, and a scanner's text is nobody's promise.
import { createHash } from "node:crypto";
import { FINDING_ID_PATTERN, REPO_PATTERN } from "@/restate/contracts/ids";

/* eslint-disable no-control-regex -- removing control characters is the point here */
const CONTROL_EXCEPT_LINES = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/gu;
/* eslint-enable no-control-regex */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/gu;

/** The description's limit in FindingSchema. */
export const DESCRIPTION_MAX = 2000;
/** The source's limit in FindingSchema. */
export const SOURCE_MAX = 64;

/** Text with control and bidi characters removed, line breaks normalised, cut to `max` characters (with an ellipsis). */
export function cleanText(text: string, max: number): string {
  const clean = text.replace(/\r\n?/g, "\n").replace(CONTROL_EXCEPT_LINES, " ").replace(BIDI_CONTROL, "").trim();
  return clean.length <= max ? clean : `${clean.slice(0, max - 1).trimEnd()}…`;
}

/** One line of text (a source, a title). */
export const oneLine = (text: string, max: number) => cleanText(text.replace(/\s+/g, " "), max);

/** Lower-case letters, digits and '-' only, at most `max` characters: a readable part of a finding id. */
export function slug(text: string, max: number): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, max)
    .replace(/-+$/, "");
}

/** A hex digest of the parts (each one length-prefixed, so no two lists of parts read alike). */
export function digest(parts: readonly string[], length: number): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(`${Buffer.byteLength(part)}:${part}\n`);
  return hash.digest("hex").slice(0, length);
}

/** A finding id from a readable prefix and a digest; throws if the result could not be a finding id (a bug, not input). */
export function findingId(prefix: string, digestHex: string): string {
  const id = `${prefix}-${digestHex}`;
  if (!FINDING_ID_PATTERN.test(id)) throw new Error(`not a finding id: ${id}`);
  return id;
}

/** Whether text is a repository name the workflow accepts (FindingSchema's repo rule). */
export const isRepoName = (text: string) => REPO_PATTERN.test(text);
