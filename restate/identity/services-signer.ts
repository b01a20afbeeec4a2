// The services' own record signer, from RECORD_SIGNING_KEY_FILE (null when not configured).
import { readFileSync } from "node:fs";
import { config } from "../config";
import { RecordSigner, type RecordKind } from "./record-signatures";

let signer: RecordSigner | null | undefined;

function servicesSigner(): RecordSigner | null {
  if (signer === undefined) {
    const file = config.RECORD_SIGNING_KEY_FILE;
    signer = file ? RecordSigner.fromPem(readFileSync(file, "utf8")) : null;
  }
  return signer;
}

/** The services' signature over a record, or undefined when no record-signing key is configured. */
export function attest(kind: RecordKind, findingId: string, record: unknown): string | undefined {
  return servicesSigner()?.sign(kind, findingId, record);
}

/** Loads the key at start-up, so a bad key file stops the services with a message instead of failing runs. */
export function checkRecordSigningKey(): void {
  try {
    servicesSigner();
  } catch (error) {
    throw new Error(`RECORD_SIGNING_KEY_FILE: ${error instanceof Error ? error.message : String(error)}`);
  }
}
