import type { NextConfig } from "next";
import { STATIC_SECURITY_HEADERS } from "./lib/http/security-headers";

const config: NextConfig = {
  // Native modules and packages that load files at run time stay outside the bundle.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "@node-rs/argon2", "fxa-common-password-list", "incremental-encoder", "node-datachannel"],
  // forbidden() renders app/forbidden.tsx with HTTP 403.
  experimental: { authInterrupts: true },
  poweredByHeader: false,
  // Nightjar never loads anything from outside the server: no remote images, fonts or scripts.
  images: { unoptimized: true },
  async headers() {
    return [
      {
        source: "/:path*",
        // The Content-Security-Policy (with its per-request nonce) is set by workers/web.ts.
        headers: Object.entries(STATIC_SECURITY_HEADERS).map(([key, value]) => ({ key, value })),
      },
    ];
  },
};

export default config;
