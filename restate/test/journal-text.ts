// A journal row's payloads as text a test can search: the engine stores them as JSON, byte arrays or base64.
export function journalText(entryJson: string): string {
  const forms = [entryJson];
  for (const match of entryJson.matchAll(/"([A-Za-z0-9+/=]{16,})"/g)) {
    forms.push(Buffer.from(match[1]!, "base64").toString("utf8"));
  }
  for (const match of entryJson.matchAll(/\[((?:\d{1,3},?)+)\]/g)) {
    forms.push(Buffer.from(match[1]!.split(",").map(Number)).toString("utf8"));
  }
  return forms.join("\n");
}
