// Reading a real adapter's settings from the environment at start-up: each problem names its variable,
// and a secret comes from NAME or from the file NAME_FILE names, never echoed back.
import { readFileSync } from "node:fs";

export type Env = Record<string, string | undefined>;

export class AdapterConfigError extends Error {
  override name = "AdapterConfigError";
}

/** A setting `why` needs (e.g. "with CHAT=slack"); its value, trimmed. */
export function required(env: Env, name: string, why: string, hint = ""): string {
  const value = env[name]?.trim();
  if (!value) throw new AdapterConfigError(`${name}: required ${why}${hint ? ` (${hint})` : ""}`);
  return value;
}

/** An http(s) URL setting, without a trailing slash. */
export function httpUrl(env: Env, name: string, why: string, fallback?: string): string {
  const value = env[name]?.trim() || fallback;
  if (!value) throw new AdapterConfigError(`${name}: required ${why}`);
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new AdapterConfigError(`${name}: not a URL`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new AdapterConfigError(`${name}: must be an http(s) URL`);
  return value.replace(/\/+$/, "");
}

/** A whole number of milliseconds, `fallback` when unset. */
export function millis(env: Env, name: string, fallback: number): number {
  const value = env[name]?.trim();
  if (!value) return fallback;
  if (!/^[1-9]\d*$/.test(value)) throw new AdapterConfigError(`${name}: must be a positive whole number of ms`);
  return Number(value);
}

/** A secret from NAME or NAME_FILE (one of them); undefined when neither is set and it is optional. */
export function secret(env: Env, name: string, why: string, optional = false): string | undefined {
  const fileName = `${name}_FILE`;
  if (env[name] && env[fileName]) throw new AdapterConfigError(`${name}, ${fileName}: set one of them, not both`);
  const path = env[fileName];
  if (path) {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (error) {
      throw new AdapterConfigError(`${fileName}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
    }
    if (!text.trim()) throw new AdapterConfigError(`${fileName}: ${path} is empty`);
    return text.trim();
  }
  const value = env[name]?.trim();
  if (!value && !optional) throw new AdapterConfigError(`${name}: required ${why} (or ${fileName})`);
  return value || undefined;
}
