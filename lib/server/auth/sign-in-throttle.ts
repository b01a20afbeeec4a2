// Slows password guessing (rate-limiter-flexible, in this process's memory). Three counters of wrong
// passwords:
// - per operator and client address: LOGIN_MAX_FAILURES in a row lock that pair out for
//   LOGIN_LOCKOUT_SECONDS, doubling with each further lockout that day up to LOGIN_LOCKOUT_MAX_SECONDS.
//   Keyed on the pair, so someone guessing from elsewhere cannot lock the real operator out;
// - per client address, all operators together (LOGIN_MAX_FAILURES_PER_ADDRESS an hour), only when
//   the address is known (TRUST_PROXY): otherwise every client shares one key, and that counter
//   would let one guesser lock everybody out;
// - per operator from anywhere: past a threshold each attempt waits a little longer, never more than
//   MAX_SLOWDOWN_MS, so guessing from many addresses is slowed and the real operator still gets in.
// A correct password clears the operator-and-address counters.
import "server-only";
import { RateLimiterMemory, type RateLimiterRes } from "rate-limiter-flexible";
import { onServerEnvReset, serverEnv } from "../env";
import { ApiRouteError } from "../errors";
import type { ClientAddress } from "./client-address";

const DAY_SECONDS = 86_400;
/** Failures of one operator (from anywhere) in an hour before its attempts are slowed. */
const SLOWDOWN_AFTER = 10;
const SLOWDOWN_STEP_MS = 200;
const MAX_SLOWDOWN_MS = 2_000;

interface Limiters {
  failuresByOperatorAndAddress: RateLimiterMemory;
  lockoutsByOperatorAndAddress: RateLimiterMemory;
  failuresByAddress: RateLimiterMemory;
  failuresByOperator: RateLimiterMemory;
}

let limiters: Limiters | undefined;
onServerEnvReset(() => (limiters = undefined));

function current(): Limiters {
  if (limiters) return limiters;
  const env = serverEnv();
  limiters = {
    // Remembered for a day, cleared by a correct password: "in a row", not "per minute".
    failuresByOperatorAndAddress: new RateLimiterMemory({ keyPrefix: "fail_op_addr", points: env.LOGIN_MAX_FAILURES, duration: DAY_SECONDS }),
    // How many times the pair was locked out today: the next lockout is twice as long.
    lockoutsByOperatorAndAddress: new RateLimiterMemory({ keyPrefix: "lockouts_op_addr", points: 1_000, duration: DAY_SECONDS }),
    failuresByAddress: new RateLimiterMemory({
      keyPrefix: "fail_addr",
      points: env.LOGIN_MAX_FAILURES_PER_ADDRESS,
      duration: 3_600,
      blockDuration: env.LOGIN_LOCKOUT_MAX_SECONDS,
    }),
    failuresByOperator: new RateLimiterMemory({ keyPrefix: "fail_op", points: 1_000_000, duration: 3_600 }),
  };
  return limiters;
}

// Usernames are compared as typed, but "Ada" and "ada" count as one guesser's target.
const operatorKey = (username: string) => username.trim().toLowerCase();
const pairKey = (username: string, address: ClientAddress) => `${operatorKey(username)}|${address.key}`;

const isLockedOut = (res: RateLimiterRes | null, points: number) => !!res && res.consumedPoints > points && res.msBeforeNext > 0;

function tooManyAttempts(msBeforeNext: number): ApiRouteError {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  const error = new ApiRouteError("too_many_requests", `Too many failed sign-ins; try again in ${seconds} s.`);
  error.headers["retry-after"] = String(seconds);
  return error;
}

/** Before the password is checked: 429 while this operator-and-address (or address) is locked out; waits when the operator is under attack. */
export async function checkSignInAllowed(username: string, address: ClientAddress): Promise<void> {
  const env = serverEnv();
  const { failuresByOperatorAndAddress, failuresByAddress, failuresByOperator } = current();
  const pair = await failuresByOperatorAndAddress.get(pairKey(username, address));
  if (isLockedOut(pair, env.LOGIN_MAX_FAILURES)) throw tooManyAttempts(pair!.msBeforeNext);
  if (address.known) {
    const byAddress = await failuresByAddress.get(address.key);
    if (isLockedOut(byAddress, env.LOGIN_MAX_FAILURES_PER_ADDRESS)) throw tooManyAttempts(byAddress!.msBeforeNext);
  }
  const byOperator = await failuresByOperator.get(operatorKey(username));
  const excess = (byOperator?.consumedPoints ?? 0) - SLOWDOWN_AFTER;
  if (excess > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(excess * SLOWDOWN_STEP_MS, MAX_SLOWDOWN_MS)));
}

/** After a wrong password: counts it, logs it, and answers 429 (with the lockout) when this one was one too many. */
export async function recordFailedSignIn(username: string, address: ClientAddress): Promise<ApiRouteError | null> {
  const env = serverEnv();
  const { failuresByOperatorAndAddress, lockoutsByOperatorAndAddress, failuresByAddress, failuresByOperator } = current();
  // Never the password; JSON quoting keeps a username with line breaks on one log line.
  console.warn(`[sign-in] failed for username ${JSON.stringify(username)} from ${address.description}`);
  await failuresByOperator.penalty(operatorKey(username));
  if (address.known) {
    const byAddress = await failuresByAddress.consume(address.key).catch((res: RateLimiterRes) => res);
    if (isLockedOut(byAddress, env.LOGIN_MAX_FAILURES_PER_ADDRESS)) return tooManyAttempts(byAddress.msBeforeNext);
  }
  const key = pairKey(username, address);
  const failures = await failuresByOperatorAndAddress.penalty(key);
  if (failures.consumedPoints < env.LOGIN_MAX_FAILURES) return null;
  const lockouts = (await lockoutsByOperatorAndAddress.penalty(key)).consumedPoints;
  const seconds = Math.min(env.LOGIN_LOCKOUT_SECONDS * 2 ** (lockouts - 1), env.LOGIN_LOCKOUT_MAX_SECONDS);
  const blocked = await failuresByOperatorAndAddress.block(key, seconds);
  console.warn(`[sign-in] username ${JSON.stringify(username)} from ${address.description} locked out for ${seconds} s (lockout ${lockouts} today)`);
  return tooManyAttempts(blocked.msBeforeNext);
}

/** After a correct password: the operator starts afresh from this address. */
export async function recordSignIn(username: string, address: ClientAddress): Promise<void> {
  const { failuresByOperatorAndAddress, lockoutsByOperatorAndAddress } = current();
  const key = pairKey(username, address);
  await failuresByOperatorAndAddress.delete(key);
  await lockoutsByOperatorAndAddress.delete(key);
}
