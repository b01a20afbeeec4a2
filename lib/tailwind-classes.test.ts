import { describe, expect, it } from "vitest";
import { mergeTailwindClasses, utilityGroup } from "./tailwind-classes";

describe("mergeTailwindClasses", () => {
  it.each([
    // The overrides the console's components pass to its primitives.
    ["h-7 px-2.5 text-xs text-slate-700 h-6 px-1.5 text-slate-500", "text-xs h-6 px-1.5 text-slate-500"],
    [
      "rounded-md border px-3 py-2 text-sm border-sky-200 bg-sky-50 text-sky-900 border-2 border-rose-500",
      "rounded-md px-3 py-2 text-sm bg-sky-50 text-sky-900 border-2 border-rose-500",
    ],
    ["flex flex-wrap items-start gap-3 px-4 py-3 flex-wrap gap-2", "flex items-start px-4 py-3 flex-wrap gap-2"],
    ["text-slate-600 hover:bg-slate-100 bg-slate-100 text-slate-900", "hover:bg-slate-100 bg-slate-100 text-slate-900"],
    ["rounded-md border px-3 py-2 text-sm text-xs break-words", "rounded-md border px-3 py-2 text-xs break-words"],
    // Shorthands clear their parts; a part after its shorthand stays.
    ["px-3 py-1 p-0", "p-0"],
    ["p-0 px-3", "p-0 px-3"],
    ["w-4 h-4 size-8", "size-8"],
    ["gap-x-2 gap-y-1 gap-4", "gap-4"],
    ["shrink-0 grow flex-1", "flex-1"],
    ["leading-relaxed text-xs", "text-xs"],
    ["border-b border", "border"],
    // Different properties that share a prefix do not conflict.
    ["text-sm text-slate-900 text-right", "text-sm text-slate-900 text-right"],
    ["border border-slate-200 border-dashed", "border border-slate-200 border-dashed"],
    ["outline-2 outline-offset-2 outline-indigo-600", "outline-2 outline-offset-2 outline-indigo-600"],
    ["flex flex-col flex-wrap flex-1", "flex flex-col flex-wrap flex-1"],
    ["font-mono font-semibold", "font-mono font-semibold"],
    ["border-b border-t", "border-b border-t"],
    // Variants, arbitrary values, negatives, the important mark.
    ["md:px-3 px-4 md:px-4", "px-4 md:px-4"],
    ["aria-[invalid=true]:border-rose-500 aria-[invalid=true]:border-slate-300", "aria-[invalid=true]:border-slate-300"],
    ["grid-cols-2 min-[28rem]:grid-cols-2 grid-cols-[max-content_1fr]", "min-[28rem]:grid-cols-2 grid-cols-[max-content_1fr]"],
    ["left-[15px] h-[calc(100%-2rem)] h-full", "left-[15px] h-full"],
    ["-translate-x-1 translate-x-2", "translate-x-2"],
    ["w-full w-max!", "w-full w-max!"],
    ["table md:table md:table-fixed block", "md:table md:table-fixed block"],
    // Classes it does not recognise are kept.
    ["open-wait-bar animate-ping absolute", "open-wait-bar animate-ping absolute"],
    ["  px-2   ", "px-2"],
  ])("%j → %j", (input, merged) => {
    expect(mergeTailwindClasses(input)).toBe(merged);
  });
});

describe("utilityGroup", () => {
  it.each([
    ["text-xs", "text"],
    ["text-[10px]", "text"],
    ["text-slate-500", "text/color"],
    ["bg-white/95", "bg/color"],
    ["text-left", "text-align"],
    ["whitespace-pre-wrap", "whitespace"],
    ["min-w-0", "min-w"],
    ["max-w-7xl", "max-w"],
    ["space-y-4", "space-y"],
    ["outline-indigo-500/40", "outline/color"],
    ["justify-self-end", "justify-self"],
    ["inline-flex", "display"],
  ])("%s sets %s", (utility, group) => {
    expect(utilityGroup(utility)).toBe(group);
  });
});
