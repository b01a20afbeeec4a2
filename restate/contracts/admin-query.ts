// The one client of Restate's admin SQL endpoint (POST {admin}/query → { rows }), used by the console,
// the services, the scripts and the tests. It sends the SQL it is given: the console builds its queries
// from validated literals only (`sql`/`lit` in lib/server/admin-sql.ts).

export interface AdminSqlOptions {
  /** Extra request headers, e.g. an authorization header for Restate Cloud. */
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/** The admin API could not be reached, or did not answer in time. */
export class AdminUnreachableError extends Error {
  override name = "AdminUnreachableError";
}

/** The admin API answered with an error status; `answer` is the body it sent. */
export class AdminSqlRejectedError extends Error {
  override name = "AdminSqlRejectedError";
  constructor(
    readonly status: number,
    readonly answer: string,
  ) {
    super(`admin query failed: ${status} ${answer}`);
  }
}

/** Runs one query and returns its rows. */
export async function adminSql<Row = Record<string, unknown>>(adminUrl: string, query: string, options: AdminSqlOptions = {}): Promise<Row[]> {
  let response: Response;
  try {
    response = await fetch(`${adminUrl}/query`, {
      method: "POST",
      headers: {
        ...options.headers,
        "content-type": "application/json",
        accept: "application/json",
        // Measured on restate-server 1.7.12: every query on a reused connection stalls ~40 ms (a
        // delayed-ACK wait on the admin listener); a fresh loopback connection costs well under 1 ms.
        connection: "close",
      },
      body: JSON.stringify({ query }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (error) {
    throw new AdminUnreachableError(`the admin API at ${adminUrl} did not answer`, { cause: error });
  }
  if (!response.ok) throw new AdminSqlRejectedError(response.status, await response.text().catch(() => ""));
  const body = (await response.json()) as { rows?: Row[] };
  return body.rows ?? [];
}
