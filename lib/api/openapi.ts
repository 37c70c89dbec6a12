// The OpenAPI 3.1 document of the public API /api/v1, written from the operations (lib/api/operations.ts) and the zod
// schemas the routes validate with (lib/api/schemas.ts): request schemas as zod reads input (defaults optional),
// response schemas as components (JSON Schema 2020-12, OpenAPI 3.1's dialect), the error envelope of route(),
// security schemes (token, signed URL, session cookie), examples. Pure apart from the served response's caching.
import crypto from "node:crypto";
import { z } from "zod";
import { API_SCOPES } from "../auth/scopes";
import { SIGNED_URL_DEFAULT_SECONDS, SIGNED_URL_MAX_SECONDS } from "../auth/signed-url";
import { API_OPERATIONS, API_TAGS, type ApiOperation, type ApiResponse } from "./operations";
import { apiSchemas } from "./schemas";

export const API_VERSION = "1.0.0";
/** How long a cache may keep the served document, s (it changes only with a new version of Nightjar). */
export const OPENAPI_MAX_AGE_SECONDS = 300;

type Json = Record<string, unknown>;
/** A generated schema without the keys a component or an inline schema must not repeat ($schema, $id). */
function bare(schema: Json): Json {
  const out = { ...schema };
  delete out.$schema;
  delete out.$id;
  return out;
}
const JSON_SCHEMA = { target: "draft-2020-12" } as const;

/** The planned operations (other issues), named in the document so that programs know they are coming. */
export const PLANNED_OPERATIONS = [
  "Alarm notices on/off per member (arrive with the notifications issue)",
];

const DESCRIPTION = `Nightjar's public API for programs: scripts, Home Assistant, test suites.

**Versioning.** Everything under \`/api/v1\` is stable: within v1, operations and fields are only added, never removed or changed in meaning; a breaking change gets \`/api/v2\` beside it. The app's own routes under \`/api/*\` (outside \`/api/v1\`) serve the web pages and change without notice: do not call them from programs.

**Authentication.** A personal access token (Account → API tokens) in \`Authorization: Bearer <token>\`. A token acts as its member, never with more than the member's role allows, only on the operations its scopes open (each operation names its scope and the permission its member needs), and only on the cameras it is limited to. Players that cannot send headers get a signed URL (createSignedUrl): minutes, one camera, read-only. In the browser, the session cookie works too.

**Errors.** Every refusal has the same body (Error): switch on \`error.code\`. 401 carries \`WWW-Authenticate\`; 429 carries \`Retry-After\` (seconds); 400 validation lists the fields.

**Planned** (x-nightjar-planned): ${PLANNED_OPERATIONS.join("; ")}.`;

const errorContent = (example: Json) => ({ "application/json": { schema: { $ref: "#/components/schemas/Error" }, example } });
const errorExample = (code: string, message: string, extra: Json = {}) => ({ error: { code, message, params: {}, ...extra } });
const retryAfter = { "Retry-After": { description: "Seconds to wait before trying again.", schema: { type: "integer", minimum: 0 } } };

/** The error answers, shared by the operations ($ref #/components/responses/<status>). */
const ERROR_RESPONSES: Record<number, Json> = {
  400: {
    description: "The request is malformed: validation (with the bad fields), bad_json, invalid_date_range, …",
    content: errorContent(errorExample("validation", "Check the highlighted fields.", { fields: { armed: { code: "invalid_type", message: "This value is not valid." } } })),
  },
  401: {
    description: "No valid credentials: missing, malformed, expired or revoked token, bad signature. No detail about which.",
    headers: { "WWW-Authenticate": { description: 'Bearer realm="nightjar" (to token and signed requests).', schema: { type: "string" } } },
    content: errorContent(errorExample("unauthenticated", "Sign in to continue.")),
  },
  403: {
    description: "Authenticated, but not allowed: the token lacks the scope (WWW-Authenticate: insufficient_scope), the member's role lacks the permission, or the camera is not theirs or outside the token's cameras.",
    content: errorContent(errorExample("forbidden", "You are not allowed to do that.")),
  },
  404: { description: "No such camera, event, clip, timelapse (or its video is not made yet), zone or live file.", content: errorContent(errorExample("not_found", "Not found.")) },
  409: { description: "Not possible in this state, e.g. privacy_mode (no picture while privacy mode is on).", content: errorContent(errorExample("privacy_mode", "Privacy mode is on for this camera.")) },
  413: { description: "The body is larger than the server accepts.", content: errorContent(errorExample("payload_too_large", "The request is too large.")) },
  415: { description: "The body is not of the operation's media type (application/json unless the operation says otherwise).", content: errorContent(errorExample("unsupported_media_type", "Send JSON.")) },
  416: { description: "The Range lies outside the file." },
  422: { description: "The camera refused the command, e.g. ptz_refused (a position it cannot reach); error.params.reason says why.", content: errorContent(errorExample("ptz_refused", "The camera refused the command (preset limit reached).", { params: { reason: "preset limit reached" } })) },
  429: { description: "Too many requests for this token.", headers: retryAfter, content: errorContent(errorExample("throttled", "Too many attempts. Try again in 30 seconds.")) },
  503: { description: "Live video is starting or unavailable (try again after Retry-After), or the camera did not answer a command (ptz_unavailable).", headers: retryAfter, content: errorContent(errorExample("live_unavailable", "Live video is not available right now.")) },
};
const STATUS_NAMES: Record<number, string> = { 400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 409: "Conflict", 413: "PayloadTooLarge", 415: "UnsupportedMediaType", 416: "RangeNotSatisfiable", 422: "CameraRefused", 429: "TooManyRequests", 503: "Unavailable" };

/** The error statuses an operation documents: authentication and scope for all, input errors where there is input. */
export function errorStatusesOf(op: ApiOperation): number[] {
  const s = new Set<number>(op.errors ?? []);
  if (op.access !== "public") [401, 403, 429].forEach((c) => s.add(c));
  if (op.params || op.query || op.body || op.bodyMedia) s.add(400);
  if (op.params) s.add(404);
  if (op.body || op.bodyMedia) [413, 415].forEach((c) => s.add(c));
  return [...s].sort((a, b) => a - b);
}

/** A zod schema as JSON Schema 2020-12 for a request (io input: fields with defaults are optional). */
function inputSchema(schema: z.ZodType): Json {
  return bare(z.toJSONSchema(schema, { ...JSON_SCHEMA, io: "input", unrepresentable: "any" }) as Json);
}

/** The $ref of a registered response schema, or the schema inline. */
function outputSchema(schema: z.ZodType): Json {
  const meta = apiSchemas.get(schema);
  if (meta) return { $ref: `#/components/schemas/${meta.id}` };
  return bare(z.toJSONSchema(schema, { ...JSON_SCHEMA, metadata: apiSchemas, unrepresentable: "any" }) as Json);
}

function componentSchemas(): Record<string, Json> {
  const { schemas } = z.toJSONSchema(apiSchemas, { ...JSON_SCHEMA, uri: (id) => `#/components/schemas/${id}`, unrepresentable: "any" }) as { schemas: Record<string, Json> };
  return Object.fromEntries(Object.entries(schemas).map(([id, s]) => [id, bare(s)]));
}

function parametersOf(op: ApiOperation): Json[] {
  const out: Json[] = [];
  for (const [where, obj] of [["path", op.params], ["query", op.query]] as const) {
    if (!obj) continue;
    for (const [name, field] of Object.entries(obj.shape as Record<string, z.ZodType>)) {
      const schema = inputSchema(field);
      const { description, example, ...rest } = schema as Json & { description?: string; example?: unknown };
      const isArray = rest.type === "array";
      out.push({
        name,
        in: where,
        required: where === "path" ? true : !field.safeParse(undefined).success,
        ...(description ? { description } : {}),
        schema: rest,
        ...(example !== undefined ? { example } : {}),
        ...(isArray ? { style: "form", explode: true } : {}),
      });
    }
  }
  return out;
}

function responseOf(r: ApiResponse): Json {
  const content: Json = {};
  if (r.json) content["application/json"] = { schema: outputSchema(r.json), ...(r.example !== undefined ? { example: r.example } : {}) };
  for (const type of r.media ?? []) content[type] = type === "application/json" ? { schema: { type: "object" } } : { schema: { type: "string", contentMediaType: type } };
  const headers = r.headers ? Object.fromEntries(Object.entries(r.headers).map(([h, d]) => [h, { description: d, schema: { type: "string" } }])) : undefined;
  return { description: r.description, ...(headers ? { headers } : {}), ...(Object.keys(content).length ? { content } : {}) };
}

function securityOf(op: ApiOperation): Json[] {
  if (op.access === "public") return [];
  const list: Json[] = [{ bearerAuth: [op.access.token] }, { sessionCookie: [] }];
  if (op.access.signedUrl) list.push({ signedUrl: [] });
  return list;
}

function operationObject(op: ApiOperation): Json {
  const access = op.access;
  const who = access === "public" ? "No authentication." : `Token scope \`${access.token}\`; the member's role needs \`${access.permission}\`.${access.signedUrl ? " Also through a signed URL." : ""}`;
  const description = [op.description, who, op.activity ? `Recorded in the activity log as \`${op.activity}\`.` : null].filter(Boolean).join("\n\n");
  const responses: Json = {};
  for (const [status, r] of Object.entries(op.responses)) responses[status] = responseOf(r);
  for (const status of errorStatusesOf(op)) responses[String(status)] = { $ref: `#/components/responses/${STATUS_NAMES[status]}` };
  const parameters = parametersOf(op);
  return {
    operationId: op.operationId,
    tags: [op.tag],
    summary: op.summary,
    description,
    ...(access !== "public" ? { "x-nightjar-scope": access.token, "x-nightjar-permission": access.permission } : {}),
    security: securityOf(op),
    ...(parameters.length ? { parameters } : {}),
    ...(op.body
      ? { requestBody: { required: true, content: { "application/json": { schema: inputSchema(op.body), ...(op.bodyExample !== undefined ? { example: op.bodyExample } : {}) } } } }
      : op.bodyMedia
        ? { requestBody: { required: true, content: { [op.bodyMedia.type]: { schema: { type: "string", contentMediaType: op.bodyMedia.type }, example: op.bodyMedia.example } } } }
        : {}),
    responses,
  };
}

/** The document. `serverUrl`: this installation's address (PUBLIC_URL), when known. */
export function buildOpenApiDocument(opts: { serverUrl?: string } = {}): Json {
  const paths: Record<string, Json> = {};
  for (const op of API_OPERATIONS) (paths[op.path] ??= {})[op.method.toLowerCase()] = operationObject(op);
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: {
      title: "Nightjar API",
      version: API_VERSION,
      description: DESCRIPTION,
      "x-nightjar-planned": PLANNED_OPERATIONS,
    },
    servers: [{ url: opts.serverUrl ?? "/", description: "This Nightjar server" }],
    tags: API_TAGS.map((t) => ({ ...t })),
    paths,
    components: {
      schemas: componentSchemas(),
      responses: Object.fromEntries(Object.entries(ERROR_RESPONSES).map(([status, r]) => [STATUS_NAMES[Number(status)], r])),
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          description: `A personal access token (Account → API tokens). Scopes: ${API_SCOPES.join(", ")}; each operation names the one it needs.`,
        },
        signedUrl: {
          type: "apiKey",
          in: "query",
          name: "sig",
          description: `A signed URL from createSignedUrl: the query \`exp\`, \`uid\` and \`sig\` together (valid ${SIGNED_URL_DEFAULT_SECONDS / 60} minutes by default, at most ${SIGNED_URL_MAX_SECONDS / 60}), for GET under one camera's /api/v1/cameras/{id}/ only.`,
        },
        sessionCookie: { type: "apiKey", in: "cookie", name: "next-auth.session-token", description: "The web app's session (\"__Secure-next-auth.session-token\" over HTTPS). State-changing requests with it must come from the app's origin." },
      },
    },
  };
}

let cached: { serverUrl: string; text: string; etag: string } | null = null;

/** The served document: public, cacheable for OPENAPI_MAX_AGE_SECONDS, with an ETag (304 when it matches). */
export function openApiResponse(req: Request, serverUrl: string): Response {
  if (!cached || cached.serverUrl !== serverUrl) {
    const text = JSON.stringify(buildOpenApiDocument({ serverUrl }), null, 2);
    cached = { serverUrl, text, etag: `"${crypto.createHash("sha256").update(text).digest("base64url").slice(0, 27)}"` };
  }
  const headers = { "cache-control": `public, max-age=${OPENAPI_MAX_AGE_SECONDS}`, etag: cached.etag, "x-content-type-options": "nosniff" };
  if (req.headers.get("if-none-match") === cached.etag) return new Response(null, { status: 304, headers });
  return new Response(cached.text, { headers: { ...headers, "content-type": "application/json; charset=utf-8" } });
}
