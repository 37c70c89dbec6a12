// The CSP string and the malformed-path rule.
import assert from "node:assert/strict";
import { test } from "node:test";
import { contentSecurityPolicy, malformedPathSegment, newNonce, nonceOf } from "./security-headers";

test("the CSP allows scripts only by nonce and media, fetches and images only from this server", () => {
  const nonce = newNonce();
  const csp = contentSecurityPolicy(nonce);
  const d = Object.fromEntries(csp.split("; ").map((x) => [x.split(" ")[0], x.split(" ").slice(1)]));
  assert.deepEqual(d["script-src"], ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"]);
  assert.ok(!d["script-src"].includes("'unsafe-inline'") && !d["script-src"].includes("'unsafe-eval'"));
  assert.deepEqual(d["media-src"], ["'self'", "blob:"]);
  assert.deepEqual(d["connect-src"], ["'self'"]);
  assert.deepEqual(d["frame-ancestors"], ["'none'"]);
  assert.deepEqual(d["object-src"], ["'none'"]);
  assert.notEqual(newNonce(), nonce);
  assert.match(nonce, /^[A-Za-z0-9+/]{22}==$/);
  assert.equal(nonceOf(csp), nonce, "a page reads the nonce back from the request's policy");
  assert.equal(nonceOf(null), null);
  assert.equal(nonceOf("default-src 'self'"), null);
});

test("paths whose percent-encoding cannot be decoded are found", () => {
  assert.equal(malformedPathSegment("/api/events/%ff%fe/photo"), "%ff%fe");
  assert.equal(malformedPathSegment("/live/%c0%ae%c0%ae"), "%c0%ae%c0%ae");
  assert.equal(malformedPathSegment("/x/%"), "%");
  assert.equal(malformedPathSegment("/api/events/abc%20def/photo?x=%ff"), null, "the query is not the path");
  assert.equal(malformedPathSegment("/live/%C3%A9t%C3%A9"), null);
});
