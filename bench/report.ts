// The benchmark's report: Markdown lines printed as they come and written to a file at the end.
import { writeFileSync } from "node:fs";

export class Report {
  private readonly lines: string[] = [];

  say(line = "") {
    console.log(line);
    this.lines.push(line);
  }

  /** A Markdown table: a header row, its rule, then the rows. */
  table(header: string[], rows: string[][]) {
    for (const row of [header, header.map(() => "---"), ...rows]) this.say(`| ${row.join(" | ")} |`);
  }

  write(file: string) {
    writeFileSync(file, this.lines.join("\n") + "\n");
    console.log(`\nwritten to ${file}`);
  }
}
