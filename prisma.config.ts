// Prisma CLI configuration. Runs fully offline: the schema engine is our wasm-backed program in prisma/.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";

process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(new URL("./prisma/schema-engine.mjs", import.meta.url));
process.env.CHECKPOINT_DISABLE ??= "1"; // Prisma's update check is an outbound request: never.
process.env.PRISMA_HIDE_UPDATE_MESSAGE ??= "1";

// Same default as lib/env.ts: $DATA_DIR/nightjar.db with DATA_DIR defaulting to ./data.
const dataDir = path.resolve(process.env.DATA_DIR?.trim() || "data");

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? `file:${path.join(dataDir, "nightjar.db")}` },
});
