// Lint: the recommended JS and TypeScript rules, Next.js, React hooks and TanStack Query, and the console/services boundary.
import js from "@eslint/js";
import nextPlugin from "@next/eslint-plugin-next";
import pluginQuery from "@tanstack/eslint-plugin-query";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/**", ".next/**", ".data/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // What the ecosystem expects of a Next.js app with React hooks and TanStack Query.
  {
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}", "lib/**/*.{ts,tsx}", "proxy.ts", "instrumentation.ts"],
    plugins: { "@next/next": nextPlugin },
    rules: { ...nextPlugin.configs.recommended.rules, ...nextPlugin.configs["core-web-vitals"].rules },
  },
  reactHooks.configs.flat["recommended-latest"] ?? reactHooks.configs.flat.recommended,
  ...pluginQuery.configs["flat/recommended"],
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  // The boundary: the console (pages, components, route handlers, lib) reaches the services only
  // through the browser-safe contracts in restate/contracts and the services' types; components never
  // reach server-only code. Tests may use the test harness. The sign-off policy (restate/policy) is read by the what-if too.
  {
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}", "lib/**/*.{ts,tsx}"],
    ignores: ["**/*.test.ts", "**/*.test.tsx", "lib/test/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^@/restate/(?!contracts/|identity/|policy/)",
              message: "The console imports the services' contracts (@/restate/contracts/...), not their runtime.",
            },
            {
              regex: "^@/restate$",
              allowTypeImports: true,
              message: "Only the services' types may be imported from @/restate (import type).",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["components/**/*.{ts,tsx}", "app/**/*.tsx"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^@/restate/(?!contracts/)",
              message: "Components import the services' contracts (@/restate/contracts/...) only.",
            },
            { regex: "^@/restate$", message: "Components import the services' contracts (@/restate/contracts/...) only." },
            { regex: "^@/lib/server(/|$)", message: "Components run in the browser: server-only code stays in lib/server." },
          ],
        },
      ],
    },
  },
  {
    files: ["scripts/**/*.mjs", "*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
);
