import { describe, expect, it } from "vitest";
import { joinSql, lit, partitionKeyOfInvocation, sql, SqlFragment, UnsafeSqlValueError } from "./admin-sql";

describe("SQL literals", () => {
  it("builds queries from validated literals only", () => {
    const query = sql`SELECT * FROM sys_journal WHERE id = ${lit.invocationId("inv_1az6PrkEdgLO1eJndDETxfyImJXnbkHDPk")} AND index = ${lit.integer(3)}`;
    expect(query.text).toBe("SELECT * FROM sys_journal WHERE id = 'inv_1az6PrkEdgLO1eJndDETxfyImJXnbkHDPk' AND index = 3");
  });

  it.each([
    ["an invocation id with a quote", () => lit.invocationId("inv_1' OR '1'='1")],
    ["an invocation id without its prefix", () => lit.invocationId("1az6PrkEdgLO1eJnd")],
    ["a finding id with spaces", () => lit.findingId("cve 1; DROP")],
    ["a finding id too long", () => lit.findingId("a".repeat(65))],
    ["a run target of a bad finding id", () => lit.runTarget("x'/run")],
    ["a timestamp in another format", () => lit.timestamp("2026-11-27 23:47:24")],
    ["an impossible timestamp of the right shape", () => lit.timestamp("2026-02-30T25:61:00.000Z")],
    ["an unknown stage", () => lit.stageJson("exploding" as never)],
    ["an unknown severity", () => lit.severity("urgent" as never)],
    ["a negative index", () => lit.integer(-1)],
    ["a fractional index", () => lit.integer(1.5)],
    ["an empty IN list", () => lit.list([])],
    ["a partition key with SQL in it", () => lit.partitionKey("1 OR 1=1")],
    ["a partition key past u64", () => lit.partitionKey("18446744073709551616")],
    ["a state key with a quote", () => lit.stateKey("stage'--")],
  ])("refuses %s", (_, build) => {
    expect(build).toThrow(UnsafeSqlValueError);
  });

  it("refuses plain strings in the sql tag, even when the types are bypassed", () => {
    const userText = "'; DROP TABLE state; --" as unknown as SqlFragment;
    expect(() => sql`SELECT ${userText}`).toThrow(UnsafeSqlValueError);
  });

  it.each([
    [lit.stageJson("awaiting-approval"), `'"awaiting-approval"'`],
    [lit.severity("critical"), "'critical'"],
    [lit.runTarget("cve-2026.1_a"), "'RemediationWorkflow/cve-2026.1_a/run'"],
    [lit.timestamp("2026-11-27T23:47:24.680Z"), "'2026-11-27T23:47:24.680Z'"],
    [lit.list([lit.findingId("a"), lit.findingId("b")]), "'a', 'b'"],
    [joinSql([sql`x = 1`, sql`y = 2`], " AND "), "x = 1 AND y = 2"],
    [joinSql([]), ""],
    [lit.partitionKey("18446744073709551615"), "18446744073709551615"],
    [lit.stateKey("awaitingApprovalSince"), "'awaitingApprovalSince'"],
  ])("writes %s as %s", (fragment, text) => {
    expect(fragment.text).toBe(text);
  });
});

describe("partitionKeyOfInvocation", () => {
  // Pairs the engine printed (id, CAST(partition_key AS VARCHAR) of sys_invocation_status).
  it.each([
    ["inv_1bkdrb9MspPH0bZy4vc26EkM4PhRAGTaZZ", "2977771269568392067"],
    ["inv_1jjTzaO2zhy15lLe5PoZtOS4xPsLUTu5ka", "5305072483570027233"],
    ["inv_1gCe2rDByqto5zikdO0yZc3XIGjfDdsFJY", "12027785426951834561"],
  ])("reads the partition of %s as %s", (id, partitionKey) => {
    expect(partitionKeyOfInvocation(id)).toBe(partitionKey);
  });

  it.each([
    ["inv_2bkdrb9MspPH0bZy4vc26EkM4PhRAGTaZZ"],
    ["inv_1bkdrb9MspPH"],
    ["inv_1zzzzzzzzzzz0bZy4vc26EkM4PhRAGTaZZ"],
    ["run_1bkdrb9MspPH0bZy4vc26EkM4PhRAGTaZZ"],
  ])("reads no partition from %s", (id) => {
    expect(partitionKeyOfInvocation(id)).toBeNull();
  });
});
