// Joins conditional class names and lets a later Tailwind class win over an earlier conflicting one; and a
// component's variants (a base and one choice per name) as a function of the choices.
import { mergeTailwindClasses } from "@/lib/tailwind-classes";

/** Class strings, and `false`/`null`/`undefined` for a condition that did not hold. */
export function cn(...inputs: (string | false | null | undefined)[]): string {
  return mergeTailwindClasses(inputs.filter(Boolean).join(" "));
}

type VariantOptions = Record<string, Record<string, string>>;
type VariantChoice<Options extends VariantOptions> = { [Name in keyof Options]?: keyof Options[Name] | null };

/** A component's classes as a function of its variants: the base, then each variant's choice (or its default). */
export function variants<Options extends VariantOptions>(
  base: string,
  config: { variants: Options; defaultVariants: { [Name in keyof Options]: keyof Options[Name] } },
): (choice?: VariantChoice<Options>) => string {
  return (choice = {}) =>
    [base, ...Object.keys(config.variants).map((name: keyof Options) => config.variants[name]![(choice[name] ?? config.defaultVariants[name]) as string])].join(
      " ",
    );
}

/** The props a variants() function takes. */
export type VariantProps<Classes> = Classes extends (choice?: infer Choice) => string ? Choice : never;
