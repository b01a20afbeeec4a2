// Personal API tokens for terminal use: `Authorization: Bearer rmc_…` on the console API. Created and
// revoked by the operator in the console; kept in a JSON file next to the operators (no database),
// hashed: the token itself is shown once and never stored. Tokens carry 256 random bits, so a plain
// SHA-256 is the right hash (a slow password hash protects guessable secrets, not random ones).
// Every token expires (API_TOKEN_TTL_DAYS unless its maker chose, at most API_TOKEN_MAX_TTL_DAYS).
import "server-only";
import { createHash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { z } from "zod";
import { RoleSchema, type Role } from "@/lib/auth/roles";
import { serverEnv } from "../env";

export const TOKEN_PREFIX = "rmc_";

const TokenRecordSchema = z.object({
  id: z.string(),
  username: z.string(),
  /** Name and roles when the token was made: used for operators who sign in through OIDC (not in the operators file). */
  name: z.string(),
  roles: z.array(RoleSchema),
  /** The groups when the token was made: used for OIDC operators only, like `roles`. */
  groups: z.array(z.string()).default([]),
  /** "local" tokens follow the operators file (and die with the operator); "oidc" ones keep their roles. */
  source: z.enum(["local", "oidc"]).default("oidc"),
  label: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string(),
  /** Absent in records from versions without expiry: those expire at createdAt + API_TOKEN_TTL_DAYS. */
  expiresAt: z.string().optional(),
});
type TokenRecord = z.infer<typeof TokenRecordSchema>;
const TokensFileSchema = z.object({ tokens: z.array(TokenRecordSchema) });

export interface TokenInfo {
  id: string;
  label: string;
  createdAt: string;
  expiresAt: string;
}

const DAY_MS = 24 * 3600 * 1000;

function expiryOf(record: TokenRecord): string {
  return record.expiresAt ?? new Date(Date.parse(record.createdAt) + serverEnv().API_TOKEN_TTL_DAYS * DAY_MS).toISOString();
}

const sha256 = (token: string) => createHash("sha256").update(token).digest("hex");

/** The parsed file and which version of it (a write replaces the file: new inode, new mtime). */
let cache: { file: string; version: string; tokens: TokenRecord[] } | undefined;

function fileVersion(file: string): string | null {
  try {
    const stat = statSync(file);
    return `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
  } catch {
    return null;
  }
}

/** Every request with a token reads this: re-parsed only when the file changed, so a revocation by another process still counts at once. */
function readTokens(): TokenRecord[] {
  const file = serverEnv().API_TOKENS_FILE;
  const version = fileVersion(file);
  if (version === null) return [];
  if (cache?.file !== file || cache.version !== version) {
    cache = { file, version, tokens: TokensFileSchema.parse(JSON.parse(readFileSync(file, "utf8"))).tokens };
  }
  return cache.tokens;
}

/** Write-then-rename: a crash mid-write never leaves a half file that locks everyone out. */
function writeTokens(tokens: TokenRecord[]): void {
  const file = serverEnv().API_TOKENS_FILE;
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify({ tokens }, null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, file);
}

const info = (record: TokenRecord): TokenInfo => ({ id: record.id, label: record.label, createdAt: record.createdAt, expiresAt: expiryOf(record) });

export function listTokens(username: string): TokenInfo[] {
  return readTokens()
    .filter((record) => record.username === username)
    .map(info);
}

/**
 * Creates a token for the operator, lasting `ttlDays` (API_TOKEN_TTL_DAYS when not given; the caller
 * has checked it against API_TOKEN_MAX_TTL_DAYS); the returned secret is the only copy there will ever be.
 */
export function createToken(
  owner: { username: string; name: string; roles: Role[]; groups: string[]; source: "local" | "oidc" },
  label: string,
  ttlDays: number = serverEnv().API_TOKEN_TTL_DAYS,
): TokenInfo & { token: string } {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  const now = Date.now();
  const record: TokenRecord = {
    id: randomUUID(),
    username: owner.username,
    name: owner.name,
    roles: owner.roles,
    groups: owner.groups,
    source: owner.source,
    label,
    sha256: sha256(token),
    createdAt: new Date(now).toISOString(),
    expiresAt: new Date(now + ttlDays * DAY_MS).toISOString(),
  };
  writeTokens([...readTokens(), record]);
  return { ...info(record), token };
}

/** Revokes one of the operator's own tokens; false when there is no such token of theirs. */
export function revokeToken(username: string, id: string): boolean {
  const tokens = readTokens();
  const kept = tokens.filter((record) => !(record.id === id && record.username === username));
  if (kept.length === tokens.length) return false;
  writeTokens(kept);
  return true;
}

/** Whose a presented token is and until when it holds (expired ones too: the caller says so), or null. */
export function tokenOwner(
  token: string,
): { username: string; name: string; roles: Role[]; groups: string[]; source: "local" | "oidc"; expiresAt: string } | null {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const presented = Buffer.from(sha256(token), "hex");
  const match = readTokens().find((record) => timingSafeEqual(Buffer.from(record.sha256, "hex"), presented));
  return match
    ? { username: match.username, name: match.name, roles: match.roles, groups: match.groups, source: match.source, expiresAt: expiryOf(match) }
    : null;
}
