// The operator console. Route handlers in app/api are the only path from the browser to Restate.

/**
 * Pages get their Content-Security-Policy from proxy.ts, with a fresh script nonce per response. The
 * API answers JSON and never needs to run or load anything.
 */
const apiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";

const securityHeaders = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The services folder sits beside the app; the console imports only its types and zod schemas.
  outputFileTracingRoot: import.meta.dirname,
  // `npm test` type-checks the whole project in its static tier (tsc --noEmit) while it builds the console
  // for the browser tests; that build skips checking the same files a second time (scripts/test.ts sets this).
  typescript: { ignoreBuildErrors: process.env.CONSOLE_BUILD_TYPECHECKED_ELSEWHERE === "1" },
  experimental: {
    // The small chunks every page shares (the layout's, TanStack Query's, some of Next.js's) merge into
    // fewer files than with the default 50 KB: they compress better, about 2.5 KiB less gzip on every page.
    turbopackChunking: { minChunkSize: 200_000 },
    // Drops the unused exports of CommonJS modules (most of Next.js's client code is CommonJS): 0.4 KiB gzip on every page.
    turbopackCjsTreeShaking: true,
  },
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: apiContentSecurityPolicy }] },
    ];
  },
};

export default nextConfig;
