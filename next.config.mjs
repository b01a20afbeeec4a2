// The operator console. Route handlers in app/api are the only path from the browser to Restate.
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The services folder sits beside the app; the console imports only its types and zod schemas.
  outputFileTracingRoot: import.meta.dirname,
};

export default nextConfig;
