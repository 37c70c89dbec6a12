// The OpenAPI document against an independent validator (@seriousme/openapi-schema-validator, OpenAPI 3.1), against
// the route files under app/api/v1 (both ways: every file's methods are documented, every documented operation is a
// file exporting that method, taking its access from the registry), and against itself: security and the 401/403
// answers on every protected operation, every example valid for its schema (ajv, JSON Schema 2020-12).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv2020 } from "ajv/dist/2020.js";
import { API_OPERATIONS } from "./operations";
import { buildOpenApiDocument } from "./openapi";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const doc = buildOpenApiDocument({ serverUrl: "https://nvr.example" }) as Json;
const METHODS = ["get", "put", "patch", "post", "delete"] as const;
const root = path.resolve(import.meta.dirname, "../..");
const v1Dir = path.join(root, "app/api/v1");

/** Every app/api/v1 route file as its OpenAPI path ([id] → {id}, [...path] → {path}) and exported methods. */
function routeFiles(): { file: string; path: string; methods: string[]; src: string }[] {
  const out: { file: string; path: string; methods: string[]; src: string }[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name === "route.ts") {
        const rel = path.relative(path.join(root, "app"), path.dirname(p)).split(path.sep);
        const apiPath = "/" + rel.map((s) => s.replace(/^\[\.\.\.(\w+)\]$/, "{$1}").replace(/^\[(\w+)\]$/, "{$1}")).join("/");
        const src = fs.readFileSync(p, "utf8");
        const methods = [...src.matchAll(/export (?:const|async function) (GET|HEAD|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1].toLowerCase());
        out.push({ file: path.relative(root, p), path: apiPath, methods, src });
      }
    }
  };
  walk(v1Dir);
  return out;
}

const operations = () =>
  Object.entries(doc.paths as Json).flatMap(([p, item]) => METHODS.filter((m) => item[m]).map((m) => ({ path: p, method: m, op: item[m] as Json })));

describe("the OpenAPI document", () => {
  test("is a valid OpenAPI 3.1 document (independent validator)", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    assert.equal(validator.version, "3.1");
    assert.deepEqual(result.errors ?? [], []);
    assert.equal(result.valid, true);
  });

  test("the validator is not a yes-man: a broken copy fails", async () => {
    const broken = structuredClone(doc);
    delete broken.paths["/api/v1/cameras"].get.responses["200"].description; // required by OpenAPI 3.1
    assert.equal((await new Validator().validate(broken)).valid, false);
  });

  test("info says that /api/v1 is stable and app routes are not, and lists the planned operations", () => {
    assert.match(doc.info.description, /\/api\/v1.*stable/s);
    assert.match(doc.info.description, /change without notice/);
    assert.ok(!doc.info["x-nightjar-planned"].some((p: string) => /PTZ/.test(p)), "PTZ has landed");
    for (const id of ["getCameraPtz", "moveCameraPtz", "gotoCameraPtzPreset"]) {
      const op = Object.values(doc.paths as Record<string, Record<string, { operationId: string; "x-nightjar-scope": string }>>)
        .flatMap((p) => Object.values(p))
        .find((o) => o.operationId === id);
      assert.equal(op?.["x-nightjar-scope"], "ptz:control", id);
    }
    assert.ok(doc.info["x-nightjar-planned"].some((p: string) => /notices/i.test(p)));
  });
});

describe("the document and the route files under app/api/v1 match", () => {
  const files = routeFiles();
  test("there are route files to check", () => assert.ok(files.length >= 12, String(files.length)));

  for (const f of files) {
    test(`${f.file}: every exported method is documented`, () => {
      assert.ok(f.methods.length > 0);
      for (const m of f.methods) assert.ok(doc.paths[f.path]?.[m], `${m.toUpperCase()} ${f.path} is not in the document`);
    });
  }

  for (const { path: p, method, op } of operations()) {
    test(`${method.toUpperCase()} ${p} (${op.operationId}) exists as a route file exporting ${method.toUpperCase()}`, () => {
      const file = files.find((f) => f.path === p);
      assert.ok(file, `no route file for ${p}`);
      assert.ok(file.methods.includes(method), `${file.file} does not export ${method.toUpperCase()}`);
    });
  }

  test("every route takes its access (and body) from its registry entry, so the document states what route() enforces", () => {
    for (const entry of API_OPERATIONS) {
      const file = files.find((f) => f.path === entry.path)!;
      const name = [...file.src.matchAll(/import \{([^}]+)\} from "@\/lib\/api\/operations"/g)].flatMap((m) => m[1].split(",").map((s) => s.trim()));
      const exported = new RegExp(`export const ${entry.method} = route(?:<[^>]*>)?\\(\\s*\\{[^]*?access: (\\w+)\\.access`).exec(file.src);
      assert.ok(exported, `${file.file} ${entry.method}: access must be <operation>.access`);
      assert.ok(name.includes(exported[1]), `${file.file}: ${exported[1]} is not imported from lib/api/operations`);
      if (entry.body) assert.match(file.src, new RegExp(`body: ${exported[1]}\\.body`), `${file.file}: body must be ${exported[1]}.body`);
    }
  });

  test("every documented path is under /api/v1 (the app's own routes are not part of the program surface)", () => {
    for (const p of Object.keys(doc.paths)) assert.match(p, /^\/api\/v1\//);
  });

  test("webhook management is documented: nine operations under /api/v1/webhooks, tag Webhooks, household:manage for token and member", () => {
    const hooks = operations().filter((o) => o.path.startsWith("/api/v1/webhooks"));
    assert.deepEqual(hooks.map((o) => `${o.method.toUpperCase()} ${o.path}`).sort(), [
      "DELETE /api/v1/webhooks/{id}",
      "GET /api/v1/webhooks",
      "GET /api/v1/webhooks/{id}",
      "GET /api/v1/webhooks/{id}/deliveries",
      "GET /api/v1/webhooks/{id}/secret",
      "PATCH /api/v1/webhooks/{id}",
      "POST /api/v1/webhooks",
      "POST /api/v1/webhooks/{id}/rotate-secret",
      "POST /api/v1/webhooks/{id}/test",
    ]);
    for (const { op } of hooks) {
      assert.deepEqual(op.tags, ["Webhooks"]);
      assert.deepEqual(op.security, [{ bearerAuth: ["household:manage"] }, { sessionCookie: [] }]);
      assert.equal(op["x-nightjar-permission"], "household:manage");
    }
    assert.ok(doc.paths["/api/v1/webhooks"].post.responses["201"], "created answers 201");
    assert.ok(doc.paths["/api/v1/webhooks/{id}/test"].post.responses["202"], "a queued test answers 202");
  });

  test("operation ids are unique", () => {
    const ids = operations().map((o) => o.op.operationId);
    assert.equal(new Set(ids).size, ids.length);
  });
});

describe("every operation", () => {
  for (const { path: p, method, op } of operations()) {
    test(`${method.toUpperCase()} ${p}: security, errors, tag`, () => {
      assert.ok(Array.isArray(op.security), "declares security");
      assert.ok(doc.tags.some((t: Json) => t.name === op.tags[0]), "its tag is listed");
      if (op.operationId === "getOpenApiDocument") {
        assert.deepEqual(op.security, [], "the document itself is public");
        return;
      }
      assert.ok(op.security.length > 0);
      assert.deepEqual(op.security[0], { bearerAuth: [op["x-nightjar-scope"]] }, "the bearer token's scope is declared");
      for (const req of op.security) for (const scheme of Object.keys(req)) assert.ok(doc.components.securitySchemes[scheme], scheme);
      for (const status of ["401", "403", "429"]) assert.ok(op.responses[status], `${status} is documented`);
      if (op.requestBody) for (const status of ["400", "413", "415"]) assert.ok(op.responses[status], `${status} is documented`);
      if (p.includes("{")) assert.ok(op.responses["404"], "404 is documented");
    });
  }

  test("the live and snapshot operations (and only GETs) accept a signed URL", () => {
    const signed = operations().filter((o) => o.op.security.some((s: Json) => "signedUrl" in s));
    assert.deepEqual(signed.map((o) => o.op.operationId).sort(), ["getLive", "getSnapshot"]);
    assert.ok(signed.every((o) => o.method === "get"));
  });

  test("401 carries WWW-Authenticate, 429 Retry-After, errors the Error envelope", () => {
    const r = doc.components.responses;
    assert.ok(r.Unauthorized.headers["WWW-Authenticate"]);
    assert.ok(r.TooManyRequests.headers["Retry-After"]);
    assert.equal(r.BadRequest.content["application/json"].schema.$ref, "#/components/schemas/Error");
    assert.ok(doc.components.schemas.Error.properties.error.properties.fields);
  });
});

describe("examples", () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ ...doc, $id: "https://nightjar.test/openapi.json" });
  const pointer = (...parts: string[]) => `https://nightjar.test/openapi.json#/${parts.map((s) => s.replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`;
  for (const { path: p, method, op } of operations()) {
    for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) {
      const media = response.content?.["application/json"];
      if (!media?.example) continue;
      test(`${op.operationId} ${status}: the example matches the response schema`, () => {
        const validate = ajv.compile({ $ref: pointer("paths", p, method, "responses", status, "content", "application/json", "schema") });
        assert.equal(validate(media.example), true, JSON.stringify(validate.errors));
      });
    }
    const body = op.requestBody?.content["application/json"];
    if (body?.example) {
      test(`${op.operationId}: the request example is accepted by the zod schema the route validates with`, () => {
        const entry = API_OPERATIONS.find((e) => e.operationId === op.operationId)!;
        assert.equal(entry.body!.safeParse(body.example).success, true);
      });
    }
  }

  test("a response schema refuses what it should (a camera without `armed`)", () => {
    const validate = ajv.compile({ $ref: "https://nightjar.test/openapi.json#/components/schemas/Camera" });
    const example = structuredClone(doc.paths["/api/v1/cameras/{id}"].get.responses["200"].content["application/json"].example);
    assert.equal(validate(example), true);
    delete example.armed;
    assert.equal(validate(example), false);
  });
});
