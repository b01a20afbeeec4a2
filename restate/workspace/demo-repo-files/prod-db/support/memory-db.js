// Just enough SQL for the session store's queries, with the semantics a real database gives them:
// a quoted literal ends at the next quote, and `OR '<a>'='<b>'` is true when a equals b.
export function memoryDb(rows) {
  const table = rows.map((row) => ({ ...row }));
  const where = (clause, params) => {
    const bound = /^token = \$1$/.exec(clause);
    if (bound) return (row) => row.token === params[0];
    const literal = /^token = '([^']*)'(?: OR '([^']*)'='([^']*)')?$/.exec(clause);
    if (literal) return (row) => row.token === literal[1] || (literal[2] !== undefined && literal[2] === literal[3]);
    throw new Error(`memory-db cannot run: ${clause}`);
  };
  return {
    async query(sql, params = []) {
      const select = /^SELECT token, user_id FROM sessions WHERE (.*)$/.exec(sql);
      if (select) return table.filter(where(select[1], params)).map(({ token, user_id }) => ({ token, user_id }));
      const remove = /^DELETE FROM sessions WHERE (.*)$/.exec(sql);
      if (remove) {
        const matches = where(remove[1], params);
        for (let i = table.length - 1; i >= 0; i--) if (matches(table[i])) table.splice(i, 1);
        return [];
      }
      throw new Error(`memory-db cannot run: ${sql}`);
    },
  };
}
