// Deny by default, checked statically: every page calls requirePageViewer unless it is listed in PUBLIC_PAGES, and
// every API route is built with the route() wrapper (the one auth choke point), except next-auth's own.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { PUBLIC_PAGES } from "./public-pages";

const appDir = path.resolve(import.meta.dirname, "../../app");

function files(dir: string, name: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p, name) : e.name === name ? [p] : [];
  });
}

describe("deny by default", () => {
  const pages = files(appDir, "page.tsx");
  test("there are pages to check", () => assert.ok(pages.length >= 8));
  for (const page of pages) {
    const rel = path.relative(appDir, page);
    test(`page ${rel} is guarded or explicitly public`, () => {
      const src = fs.readFileSync(page, "utf8");
      const isPublic = PUBLIC_PAGES.includes(rel);
      assert.equal(src.includes("requirePageViewer("), !isPublic, isPublic ? "public page must not need a viewer" : "must call requirePageViewer");
    });
  }

  for (const file of files(path.join(appDir, "api"), "route.ts")) {
    const rel = path.relative(appDir, file);
    if (rel.includes("[...nextauth]")) continue;
    test(`route ${rel} uses the route() wrapper for every method`, () => {
      const src = fs.readFileSync(file, "utf8");
      const methods = [...src.matchAll(/export (?:const|async function) (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]);
      assert.ok(methods.length > 0, "exports a handler");
      for (const m of methods) assert.match(src, new RegExp(`export const ${m} = route[<(]`), `${m} must be built with route()`);
      assert.doesNotMatch(src, /generated\/prisma/, "routes call lib/, not Prisma");
    });
  }
});
