import next from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...next,
  ...nextTs,
  { ignores: ["node_modules/**", ".next/**", "lib/generated/**", "data/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  { files: ["prisma/schema-engine.mjs"], rules: { "@typescript-eslint/no-require-imports": "off" } },
  // Links go through app/_components/link.tsx (no prefetching of dynamic pages).
  { files: ["app/**/*.tsx"], rules: { "no-restricted-imports": ["error", { paths: [{ name: "next/link", message: "Use @/app/_components/link (it does not prefetch dynamic pages)." }] }] } },
];

export default config;
