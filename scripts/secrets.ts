// The embedded default's secrets, generated on first start and kept in the data dir (mode 0600):
//   approval-signing-secret  HMAC key shared by console and services (signed sign-offs and submitters)
//   session-secret           iron-session's cookie sealing password
//   request-identity.pem     ed25519 key restate-server signs its requests to the services with
//   record-signing.pem       ed25519 key the services sign their records with (approvals, trail, audit)
// Environment values win over the files, so a deployment can hand them in from its secret store.
import { createPublicKey, generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { RecordSigner } from "../restate/identity/record-signatures";

export interface LocalSecrets {
  approvalSigningSecret: string;
  sessionSecret: string;
  /** File restate-server reads its request identity private key from. */
  identityPrivateKeyFile: string;
  /** The matching public key in the SDK's `publickeyv1_<base58>` form, for RESTATE_IDENTITY_KEYS. */
  identityPublicKey: string;
  /** File the services read their record-signing private key from. */
  recordSigningKeyFile: string;
  /** Its public key (`ed25519:…`), for the console and offline audit checks (RECORD_VERIFY_KEY). */
  recordVerifyKey: string;
}

const BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/** Bitcoin-alphabet base58, the encoding Restate uses for its `publickeyv1_` keys. */
export function base58(bytes: Uint8Array): string {
  let value = BigInt(`0x${Buffer.from(bytes).toString("hex") || "0"}`);
  let out = "";
  while (value > 0n) {
    out = BASE58[Number(value % 58n)] + out;
    value /= 58n;
  }
  for (const byte of bytes) {
    if (byte !== 0) break;
    out = `1${out}`;
  }
  return out;
}

/** The ed25519 public key of a PKCS#8 private key PEM as `publickeyv1_…`. */
export function identityPublicKeyOf(privateKeyPem: string): string {
  const jwk = createPublicKey(privateKeyPem).export({ format: "jwk" });
  if (jwk.crv !== "Ed25519" || !jwk.x) throw new Error("the request identity key must be an ed25519 key");
  return `publickeyv1_${base58(Buffer.from(jwk.x, "base64url"))}`;
}

function readOrCreate(file: string, create: () => string): string {
  if (!existsSync(file)) writeFileSync(file, create(), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

export function ensureLocalSecrets(dataDir: string, env: Record<string, string | undefined> = process.env): LocalSecrets {
  mkdirSync(dataDir, { recursive: true });
  const random = () => `${randomBytes(32).toString("hex")}\n`;
  const approvalSigningSecret = env.APPROVAL_SIGNING_SECRET || readOrCreate(join(dataDir, "approval-signing-secret"), random);
  const sessionSecret = env.SESSION_SECRET || readOrCreate(join(dataDir, "session-secret"), random);
  const identityPrivateKeyFile = env.REQUEST_IDENTITY_PRIVATE_KEY_FILE || join(dataDir, "request-identity.pem");
  const pem = readOrCreate(identityPrivateKeyFile, newEd25519Pem);
  const recordSigningKeyFile = env.RECORD_SIGNING_KEY_FILE || join(dataDir, "record-signing.pem");
  const recordPem = readOrCreate(recordSigningKeyFile, newEd25519Pem);
  const recordVerifyKey = RecordSigner.fromPem(recordPem).publicKey();
  // The public half beside it, for auditors (`npm run audit -- verify`); it is no secret.
  const publicFile = join(dataDir, "record-verify-key");
  if (!existsSync(publicFile)) writeFileSync(publicFile, `${recordVerifyKey}\n`, { mode: 0o644 });
  return { approvalSigningSecret, sessionSecret, identityPrivateKeyFile, identityPublicKey: identityPublicKeyOf(pem), recordSigningKeyFile, recordVerifyKey };
}

function newEd25519Pem(): string {
  return generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString();
}

/** What the services process needs from the secrets: the approval key and the server's public key. */
export function servicesSecretsEnv(secrets: LocalSecrets): Record<string, string> {
  return {
    APPROVAL_SIGNING_SECRET: secrets.approvalSigningSecret,
    RESTATE_IDENTITY_KEYS: secrets.identityPublicKey,
    RECORD_SIGNING_KEY_FILE: secrets.recordSigningKeyFile,
  };
}

/** What the console needs from the secrets: the session key, the approval key, the services' record key (public). */
export function consoleSecretsEnv(secrets: LocalSecrets): Record<string, string> {
  return { SESSION_SECRET: secrets.sessionSecret, APPROVAL_SIGNING_SECRET: secrets.approvalSigningSecret, RECORD_VERIFY_KEY: secrets.recordVerifyKey };
}
