// Sessions are looked up by their token on every request. `db.query(sql, params)` is node-postgres' shape.
export async function findSession(db, token) {
  const rows = await db.query(`SELECT token, user_id FROM sessions WHERE token = '${token}'`);
  return rows[0] ?? null;
}

export async function endSession(db, token) {
  await db.query("DELETE FROM sessions WHERE token = $1", [token]);
}
