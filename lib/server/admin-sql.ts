// The console's SQL over Restate's admin API (sent by restate/contracts/admin-query.ts). The SQL has no
// bind parameters, so every value enters a query through `sql` and `lit`: a literal exists only after it
// matched a strict pattern, and the `sql` tag accepts nothing else. No request text is ever interpolated.
import "server-only";
import { FINDING_ID_PATTERN, INVOCATION_ID_PATTERN } from "@/restate/contracts/ids";
import { SEVERITIES, STAGES } from "@/restate/contracts/schemas";
import { adminSql, AdminSqlRejectedError, AdminUnreachableError } from "@/restate/contracts/admin-query";

import { serverEnv } from "./env";
import { ApiRouteError } from "./errors";

/** What the engine prints for a timestamp (millisecond precision, UTC). */
export const ENGINE_TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** That shape, and a real instant: "2026-02-30T25:61:00.000Z" has the shape, and makes the SQL engine fail. */
export function isEngineTimestamp(value: unknown): value is string {
  if (typeof value !== "string" || !ENGINE_TIMESTAMP_PATTERN.test(value)) return false;
  const instant = new Date(value);
  return !Number.isNaN(instant.getTime()) && instant.toISOString() === value;
}

/** A piece of SQL whose every literal was validated. Built only by `sql` and `lit`. */
export class SqlFragment {
  /** @internal use `sql` or `lit` */
  constructor(readonly text: string) {}
  toString() {
    return this.text;
  }
}

export class UnsafeSqlValueError extends Error {
  override name = "UnsafeSqlValueError";
}

export function sql(strings: TemplateStringsArray, ...values: SqlFragment[]): SqlFragment {
  let text = strings[0] ?? "";
  values.forEach((value, i) => {
    if (!(value instanceof SqlFragment)) throw new UnsafeSqlValueError("sql`` accepts only SqlFragment values");
    text += value.text + (strings[i + 1] ?? "");
  });
  return new SqlFragment(text);
}

/** Fragments joined by a fixed separator (an empty list gives empty SQL). */
export function joinSql(fragments: readonly SqlFragment[], separator: " " | ", " | " AND " | " OR " = " "): SqlFragment {
  if (!fragments.every((fragment) => fragment instanceof SqlFragment)) throw new UnsafeSqlValueError("joinSql accepts only SqlFragment values");
  return new SqlFragment(fragments.map((fragment) => fragment.text).join(separator));
}

function checked(kind: string, value: unknown, pattern: RegExp): SqlFragment {
  if (typeof value !== "string" || !pattern.test(value)) {
    throw new UnsafeSqlValueError(`refusing to put an invalid ${kind} into SQL`);
  }
  // The patterns exclude quotes; doubling them anyway keeps the literal closed if one ever widens.
  return new SqlFragment(`'${value.replaceAll("'", "''")}'`);
}

function oneOf<const T extends readonly string[]>(kind: string, allowed: T) {
  return (value: T[number]) => {
    if (!allowed.includes(value)) throw new UnsafeSqlValueError(`refusing to put an unknown ${kind} into SQL`);
    return new SqlFragment(`'${value}'`);
  };
}

const BASE62 = "0123456789abcdefghijklmnopqrstuvwxyz" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/**
 * The partition an invocation lives in, read from its id as the engine prints it (format 1:
 * `inv_1`, then the partition key in 11 base62 digits, then the invocation's uuid in 22): lets a page
 * of runs from the run index look up their state by key with no query for the partition keys first.
 * Null for any other shape. restate/test/run-index.test.ts checks it against the engine's own column.
 */
export function partitionKeyOfInvocation(invocationId: string): string | null {
  const match = /^inv_1([0-9A-Za-z]{11})[0-9A-Za-z]{22}$/.exec(invocationId);
  if (!match) return null;
  let encoded = 0n;
  for (const digit of match[1]!) encoded = encoded * 62n + BigInt(BASE62.indexOf(digit));
  if (encoded > 0xffffffffffffffffn) return null;
  // The digits spell the key's bytes in little-endian order.
  const bytes = new DataView(new ArrayBuffer(8));
  bytes.setBigUint64(0, encoded, true);
  return bytes.getBigUint64(0, false).toString();
}

/** Validated literals: the only way a value gets into a query. */
export const lit = {
  invocationId: (value: string) => checked("invocation id", value, INVOCATION_ID_PATTERN),
  findingId: (value: string) => checked("finding id", value, FINDING_ID_PATTERN),
  /** The invocation target of a finding's run, e.g. 'RemediationWorkflow/cve-1/run' (invoked_by_target). */
  runTarget: (findingId: string) => {
    checked("finding id", findingId, FINDING_ID_PATTERN);
    return new SqlFragment(`'RemediationWorkflow/${findingId}/run'`);
  },
  /**
   * A partition key (u64) as decimal text: read it from SQL with CAST(partition_key AS VARCHAR), since
   * JSON numbers lose precision past 2^53. Filtering on it turns a table scan into point lookups.
   */
  partitionKey: (value: string) => {
    if (typeof value !== "string" || !/^\d{1,20}$/.test(value) || BigInt(value) > 0xffffffffffffffffn) {
      throw new UnsafeSqlValueError("refusing to put an invalid partition key into SQL");
    }
    return new SqlFragment(value);
  },
  /** A state key the console reads (the workflow's RunState keys are plain identifiers). */
  stateKey: (value: string) => checked("state key", value, /^[A-Za-z][A-Za-z0-9]{0,63}$/),
  timestamp: (value: string) => {
    if (!isEngineTimestamp(value)) throw new UnsafeSqlValueError("refusing to put an invalid timestamp into SQL");
    return checked("timestamp", value, ENGINE_TIMESTAMP_PATTERN);
  },
  /** A stage as the workflow stores it in state: a JSON string, e.g. '"planning"'. */
  stageJson: (value: (typeof STAGES)[number]) => {
    oneOf("stage", STAGES)(value);
    return new SqlFragment(`'"${value}"'`);
  },
  severity: oneOf("severity", SEVERITIES),
  /** Non-negative integers (journal indexes, limits). */
  integer: (value: number) => {
    if (!Number.isSafeInteger(value) || value < 0) throw new UnsafeSqlValueError("refusing to put a non-integer into SQL");
    return new SqlFragment(String(value));
  },
  /** A comma-separated list, for IN (...); at least one value. */
  list: (fragments: readonly SqlFragment[]) => {
    if (fragments.length === 0) throw new UnsafeSqlValueError("an IN list needs at least one validated value");
    return joinSql(fragments, ", ");
  },
};

/**
 * Runs one query and returns its rows. Network failures and timeouts surface as 503; a query the
 * engine rejects is our bug and surfaces as a 500 (the SQL and the engine's answer go to the log only).
 */
export async function adminQuery<Row = Record<string, unknown>>(query: SqlFragment): Promise<Row[]> {
  if (!(query instanceof SqlFragment)) throw new UnsafeSqlValueError("adminQuery accepts only sql`` fragments");
  const env = serverEnv();
  try {
    return await adminSql<Row>(env.RESTATE_ADMIN, query.text, { headers: env.RESTATE_ADMIN_HEADERS, timeoutMs: env.RESTATE_TIMEOUT_MS });
  } catch (error) {
    if (error instanceof AdminUnreachableError) {
      throw new ApiRouteError("upstream_unavailable", "Restate is not reachable right now; try again shortly.", undefined, error.cause);
    }
    if (!(error instanceof AdminSqlRejectedError)) throw error;
    if (error.status >= 502 && error.status <= 504) {
      throw new ApiRouteError("upstream_unavailable", "Restate is not reachable right now; try again shortly.");
    }
    // An id of the right shape the engine cannot decode was never issued: nothing to find.
    if (/non valid invocation id/i.test(error.answer)) {
      throw new ApiRouteError("not_found", "No such invocation: that id was never issued by this Restate cluster.");
    }
    if (error.status === 401 || error.status === 403) {
      throw new ApiRouteError("upstream_unavailable", "Restate refused the console's credentials; check RESTATE_*_HEADERS.");
    }
    throw new AdminQueryError(`admin query failed with ${error.status}: ${error.answer.slice(0, 500)}`, query.text);
  }
}

export class AdminQueryError extends Error {
  override name = "AdminQueryError";
  constructor(
    message: string,
    readonly query: string,
  ) {
    super(message);
  }
}

/**
 * The remediation runs' state under `keys`, each run looked up by its partition and key (no scan of
 * the history): the rows every reader of run state pivots (lib/finding-summary.ts pivotState).
 */
export function runStateRows(
  runs: readonly { partition_key: string; finding_id: string }[],
  keys: readonly string[],
): Promise<{ service_key: string; key: string; value_utf8: string | null }[]> {
  return adminQuery(sql`
    SELECT service_key, key, value_utf8 FROM state
    WHERE partition_key IN (${lit.list(runs.map((run) => lit.partitionKey(run.partition_key)))})
      AND service_name = 'RemediationWorkflow'
      AND service_key IN (${lit.list(runs.map((run) => lit.findingId(run.finding_id)))})
      AND key IN (${lit.list(keys.map((key) => lit.stateKey(key)))})`);
}
