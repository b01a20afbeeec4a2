// The identifiers that cross the boundary between the console and the services, as plain patterns
// (no zod): the browser's first load checks URL parameters with them.

/** Finding ids become workflow keys, URL segments and admin-SQL literals, so they are kept strict. */
export const FINDING_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const REPO_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/;
/** A Restate invocation id, as the engine prints it: `inv_` and base62. */
export const INVOCATION_ID_PATTERN = /^inv_[0-9A-Za-z]+$/;
