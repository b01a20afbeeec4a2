// The search results page: the query is echoed back above the results.
import { escapeHtml } from "../../ui/src/index.js";

export function renderResults(query, results) {
  const items = results.map((result) => `<li>${escapeHtml(result.title)}</li>`).join("");
  return `<h1>Results for ${escapeHtml(query)}</h1><ul>${items}</ul>`;
}
