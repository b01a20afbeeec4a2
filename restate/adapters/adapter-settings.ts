// Reading a real adapter's settings at start-up: each reader throws an AdapterConfigError whose
// message starts with the variable at fault, and a secret comes from NAME or NAME_FILE, held in an
// ApiKey so it never prints.
import { readFileSync } from "node:fs";
import { ApiKey } from "../models/model-config";

export class AdapterConfigError extends Error {
  override name = "AdapterConfigError";
}

export type Env = Record<string, string | undefined>;

const value = (env: Env, name: string) => (env[name]?.trim() ? env[name].trim() : undefined);

/** NAME, else the contents of the file NAME_FILE names; required unless `optional`. */
export function secretSetting(env: Env, name: string, why: string): ApiKey {
  const direct = value(env, name);
  const file = value(env, `${name}_FILE`);
  if (direct && file) throw new AdapterConfigError(`${name}, ${name}_FILE: set one of them, not both`);
  if (direct) return new ApiKey(direct);
  if (!file) throw new AdapterConfigError(`${name}: required ${why} (or ${name}_FILE, a file holding it)`);
  let text: string;
  try {
    text = readFileSync(file, "utf8").trim();
  } catch (error) {
    throw new AdapterConfigError(`${name}_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  if (!text) throw new AdapterConfigError(`${name}_FILE: ${file} is empty`);
  return new ApiKey(text);
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** An https URL (plain http only on loopback, for a collector on the same host and for tests). */
export function endpointSetting(env: Env, name: string, why: string): URL {
  const text = value(env, name);
  if (!text) throw new AdapterConfigError(`${name}: required ${why}`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AdapterConfigError(`${name}: not a URL: "${text}"`);
  }
  if (url.username || url.password) throw new AdapterConfigError(`${name}: must not carry credentials (they go in the token variables)`);
  if (url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.has(url.hostname))) return url;
  throw new AdapterConfigError(`${name}: must be an https URL (http only on 127.0.0.1 or localhost), got "${url.protocol}//${url.host}"`);
}

/** A whole number of ms, positive, with a default. */
export function millisecondsSetting(env: Env, name: string, fallback: number): number {
  const text = value(env, name);
  if (!text) return fallback;
  if (!/^[1-9]\d*$/.test(text)) throw new AdapterConfigError(`${name}: must be a positive whole number of ms, got "${text}"`);
  return Number(text);
}

export function choiceSetting<T extends string>(env: Env, name: string, choices: readonly T[], fallback: T): T {
  const text = value(env, name);
  if (!text) return fallback;
  if (!choices.includes(text as T)) throw new AdapterConfigError(`${name}: must be one of ${choices.join(", ")}, got "${text}"`);
  return text as T;
}

/** A setting `why` needs (e.g. "with CHAT=slack"); its value, trimmed. */
export function required(env: Env, name: string, why: string, hint = ""): string {
  const text = value(env, name);
  if (!text) throw new AdapterConfigError(`${name}: required ${why}${hint ? ` (${hint})` : ""}`);
  return text;
}

/** An http(s) URL setting (any host), without a trailing slash; `fallback` when unset. */
export function httpUrl(env: Env, name: string, why: string, fallback?: string): string {
  const text = value(env, name) ?? fallback;
  if (!text) throw new AdapterConfigError(`${name}: required ${why}`);
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new AdapterConfigError(`${name}: not a URL`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new AdapterConfigError(`${name}: must be an http(s) URL`);
  return text.replace(/\/+$/, "");
}

export const millis = millisecondsSetting;

/** A secret's text from NAME or NAME_FILE (see secretSetting); undefined when neither is set and it is `optional`. */
export function secret(env: Env, name: string, why: string, optional = false): string | undefined {
  if (optional && !value(env, name) && !value(env, `${name}_FILE`)) return undefined;
  return secretSetting(env, name, why).reveal();
}
