// Deny by default, checked statically: every page calls requirePageViewer unless it is listed in PUBLIC_PAGES, and
// every API route is built with the route() wrapper (the one auth choke point), except next-auth's own. Programs get
// only the documented, versioned surface: no route outside app/api/v1 opens to a token or a signed URL (the v1 routes
// take their access from lib/api/operations.ts; lib/api/openapi.test.ts checks that).
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

/** Whether `src` states a token scope or a signed URL in a route() access option (an object literal or a const). */
function opensToPrograms(src: string): boolean {
  return /\b(token|signedUrl)\s*:\s*(["'`]|true\b|[A-Za-z_$][\w$.]*\s*[,}])/.test(src) && /\baccess\b/.test(src);
}

describe("programs get only /api/v1", () => {
  const v1 = path.join(appDir, "api", "v1") + path.sep;
  const outside = files(path.join(appDir, "api"), "route.ts").filter((f) => !f.startsWith(v1));
  test("there are app routes outside /api/v1 to check", () => assert.ok(outside.length >= 30, String(outside.length)));

  test("the check sees a token scope or a signed URL however it is written", () => {
    assert.equal(opensToPrograms(`route({ access: { permission: "video:watch", token: "events:read" } }, h)`), true);
    assert.equal(opensToPrograms(`const access = { permission: "household:manage", token: 'household:manage' } as const;`), true);
    assert.equal(opensToPrograms(`route({ access: { permission: "video:watch", signedUrl: true } }, h)`), true);
    assert.equal(opensToPrograms(`const access = { token: SCOPE };`), true);
    assert.equal(opensToPrograms(`route({ access: { permission: "video:watch" } }, h)`), false);
    assert.equal(opensToPrograms(`route({ access: "public", body: z.object({ token: z.string() }) }, h)`), false, "a body field named token is no scope");
  });

  for (const file of outside) {
    const rel = path.relative(appDir, file);
    test(`route ${rel} is session-only (no token scope, no signed URL)`, () => {
      const src = fs.readFileSync(file, "utf8");
      assert.equal(opensToPrograms(src), false, "token: and signedUrl: belong to /api/v1 operations (lib/api/operations.ts)");
      assert.doesNotMatch(src, /@\/lib\/api\/operations/, "the operations registry is for /api/v1 routes");
    });
  }
});
