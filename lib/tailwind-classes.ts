// Resolves conflicting Tailwind classes in one class string: a later class wins over an earlier one that
// sets the same property under the same variants. A few dozen lines instead of tailwind-merge (7 KiB gzip
// on every page's first load); it knows the utility families the console uses, and keeps any class it does
// not recognise.

/** Utilities whose name alone says what they set. */
const KEYWORD_GROUPS: Record<string, string> = {};
for (const [group, names] of Object.entries({
  display:
    "block inline-block inline flex inline-flex grid inline-grid contents hidden flow-root list-item table table-row table-cell table-row-group table-header-group table-footer-group table-column table-column-group table-caption",
  position: "static fixed absolute relative sticky",
  "text-align": "text-left text-center text-right text-justify text-start text-end",
  "font-weight": "font-thin font-extralight font-light font-normal font-medium font-semibold font-bold font-extrabold font-black",
  "font-family": "font-sans font-serif font-mono",
  "font-style": "italic not-italic",
  "text-decoration-line": "underline overline line-through no-underline",
  "text-transform": "uppercase lowercase capitalize normal-case",
  "border-style": "border-solid border-dashed border-dotted border-double border-hidden border-none",
  "flex-wrap": "flex-wrap flex-wrap-reverse flex-nowrap",
  "flex-direction": "flex-row flex-row-reverse flex-col flex-col-reverse",
  flex: "flex-1 flex-auto flex-initial flex-none",
  "word-break": "break-normal break-words break-all break-keep",
  "table-layout": "table-auto table-fixed",
  "screen-reader": "sr-only not-sr-only",
})) {
  for (const name of names.split(" ")) KEYWORD_GROUPS[name] = group;
}

const COLOR_VALUE =
  /^(?:inherit|current|transparent|black|white|(?:slate|gray|zinc|neutral|stone|red|orange|amber|yellow|lime|green|emerald|teal|cyan|sky|blue|indigo|violet|purple|fuchsia|pink|rose)-\d{2,3})(?:\/\d+)?$/;
/** Lengths, fractions, size names and arbitrary values: the utility's main property. */
const SIZE_VALUE = /^(?:\d+(?:\.\d+)?|\d+\/\d+|px|full|auto|screen|min|max|fit|none|inner|xs|sm|md|lg|base|\d?xl|\[.*\])$/;
/** Utilities whose value is a word (`items-center`, `whitespace-pre-wrap`): the prefix is the property. */
const KEYWORD_VALUED =
  /^(whitespace|items|justify-self|justify-items|justify|content|self|place-items|place-content|place-self|align|cursor|list|overflow-x|overflow-y|overflow|transition|animate|tracking|leading|object|order|select|pointer-events|resize|float|clear|decoration|outline-offset|underline-offset)-/;

/** Shorthands that also set the properties of the listed groups. */
const COVERS: Record<string, readonly string[]> = {
  p: ["px", "py", "pt", "pr", "pb", "pl", "ps", "pe"],
  px: ["pr", "pl", "ps", "pe"],
  py: ["pt", "pb"],
  m: ["mx", "my", "mt", "mr", "mb", "ml", "ms", "me"],
  mx: ["mr", "ml", "ms", "me"],
  my: ["mt", "mb"],
  size: ["w", "h"],
  // A font size sets its line height too.
  text: ["leading"],
  flex: ["grow", "shrink", "basis"],
  gap: ["gap-x", "gap-y"],
  overflow: ["overflow-x", "overflow-y"],
  inset: ["inset-x", "inset-y", "top", "right", "bottom", "left"],
  border: ["border-x", "border-y", "border-t", "border-r", "border-b", "border-l"],
  "border-x": ["border-l", "border-r"],
  "border-y": ["border-t", "border-b"],
  rounded: ["rounded-t", "rounded-r", "rounded-b", "rounded-l", "rounded-tl", "rounded-tr", "rounded-br", "rounded-bl"],
};

/** What a utility (variants and `!` removed) sets; classes of the same group under the same variants conflict. */
export function utilityGroup(utility: string): string {
  const name = utility.replace(/^-/, "");
  const keyword = KEYWORD_GROUPS[name];
  if (keyword) return keyword;
  // The value is the part after the first dash that reads as a colour or a size: `bg-slate-100`, `gap-x-4`.
  const beforeBracket = name.includes("[") ? name.slice(0, name.indexOf("[")) : name;
  for (let dash = beforeBracket.indexOf("-"); dash > 0; dash = beforeBracket.indexOf("-", dash + 1)) {
    const value = name.slice(dash + 1);
    if (COLOR_VALUE.test(value)) return `${name.slice(0, dash)}/color`;
    if (SIZE_VALUE.test(value)) return name.slice(0, dash);
  }
  return KEYWORD_VALUED.exec(name)?.[1] ?? name;
}

/** Splits `md:hover:px-3!` into its variants with the important mark (`md:hover:!`) and its utility (`px-3`). */
function splitVariants(className: string): { variants: string; utility: string } {
  let depth = 0;
  let end = -1;
  for (let i = 0; i < className.length; i++) {
    const char = className[i];
    if (char === "[") depth++;
    else if (char === "]") depth--;
    else if (char === ":" && depth === 0) end = i;
  }
  let utility = className.slice(end + 1);
  let important = "";
  if (utility.endsWith("!") || utility.startsWith("!")) {
    important = "!";
    utility = utility.replace(/^!|!$/g, "");
  }
  return { variants: className.slice(0, end + 1) + important, utility };
}

/** Drops every class that a later class in the string overrides; the rest keep their order. */
export function mergeTailwindClasses(classes: string): string {
  const taken = new Set<string>();
  const kept: string[] = [];
  const list = classes.split(/\s+/).filter(Boolean);
  for (let i = list.length - 1; i >= 0; i--) {
    const className = list[i]!;
    const { variants, utility } = splitVariants(className);
    const group = utilityGroup(utility);
    if (taken.has(variants + group)) continue;
    taken.add(variants + group);
    for (const covered of COVERS[group] ?? []) taken.add(variants + covered);
    kept.push(className);
  }
  return kept.reverse().join(" ");
}
