// The route wrapper: every app/api handler is built with route(). It is the one choke point that parses the body
// (size limit, JSON, zod), authenticates (deny by default: `access` must be given), authorizes by permission,
// checks the Origin of state-changing requests, and maps errors to HTTP status and a localized message.
import { cookies, headers } from "next/headers";
import { z } from "zod";
import { recordActivity, type ActivityAction } from "../activity/record";
import { clientAddress } from "../auth/address";
import { authenticateBearer, isBearerAttempt } from "../auth/api-tokens";
import { TokenBucketLimiter } from "../auth/rate-limit";
import type { ApiScope } from "../auth/scopes";
import { getViewer } from "../auth/session";
import { hasSignature, verifySignedRequest } from "../auth/signed-url";
import type { Viewer } from "../auth/viewer";
import { db } from "../db";
import { getEnv } from "../env";
import { AppError, isAppError } from "../errors";
import { can, type Permission } from "../household/roles";
import { LOCALE_COOKIE, resolveLocale, type Locale } from "../i18n/locales";
import { translate } from "../i18n/translate";
import { logger } from "../log";
import { checkStateChangingRequest } from "./origin";

const log = logger("http");

type Access =
  /** Anyone, signed in or not (setup, invite acceptance, health). */
  | "public"
  /** Any signed-in member; with `permission`, only roles that have it. */
  | {
      permission?: Permission;
      allowPendingPasswordChange?: boolean;
      /**
       * The token scope that opens this route to programs (Authorization: Bearer). Without it, a request with a
       * bearer token is refused (401): deny by default. The token's member must still have `permission`. Only the
       * documented /api/v1 routes set it, from their entry in lib/api/operations.ts (lib/auth/guard.test.ts checks).
       */
      token?: ApiScope;
      /**
       * GET/HEAD only: a signed URL (lib/auth/signed-url.ts, `?exp=&uid=&sig=`) for this request's camera prefix
       * `/api/v1/cameras/<id>/` opens the route, as the member limited to that camera with live:watch and events:read.
       */
      signedUrl?: boolean;
    };

type Ctx<B, P> = { req: Request; body: B; params: P; viewer: Viewer | null; locale: Locale };
type SignedInCtx<B, P> = Ctx<B, P> & { viewer: Viewer };

/** What to record in the activity log after the handler succeeded (signed-in routes only). */
export type ActivitySpec = { action: ActivityAction; cameraId?: string | null; targetId?: string | null; subjectId?: string | null; data?: Record<string, unknown> };
type Options<S extends z.ZodType | undefined, P> = {
  access: Access;
  body?: S;
  /**
   * Activity to record once the handler succeeded: a spec, or a function of the request and the handler's result
   * (return null to record nothing, e.g. a HEAD request or a range request after the first).
   */
  activity?: ActivitySpec | ((ctx: { req: Request; params: P; body: BodyOf<S>; result: unknown }) => ActivitySpec | null);
  /** HTTP status of a successful JSON result (default 200; 201 for a created resource). */
  successStatus?: number;
};
type BodyOf<S> = S extends z.ZodType ? z.output<S> : undefined;

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** The challenge of a 401 to a bearer or signed request (RFC 6750); no detail about which part failed. */
const BEARER_CHALLENGE = 'Bearer realm="nightjar"';
const SCOPE_CHALLENGE = 'Bearer error="insufficient_scope"';
/** Per token (or signed URL member and camera), in this web process: media segments count too. */
const apiLimiter = new TokenBucketLimiter();

/**
 * Who is asking, and how. A request with `Authorization: Bearer` is judged by its token only (even with a session
 * cookie beside it); a signed URL on a route that accepts one by its signature; anything else by the session cookie.
 * Public routes ignore tokens and signatures (their viewer is the session's, or null).
 */
async function authenticate(req: Request, access: Access): Promise<{ viewer: Viewer | null; via: "session" | "token" | "signed_url"; challenge: string | null }> {
  const authorization = req.headers.get("authorization");
  if (access !== "public" && isBearerAttempt(authorization)) {
    // Only the versioned API is for programs (lib/auth/guard.test.ts checks that no other route declares a scope).
    const opened = !!access.token && new URL(req.url).pathname.startsWith("/api/v1/");
    const viewer = opened ? await authenticateBearer(await db(), authorization, new Date(), clientAddress(req.headers)) : null;
    return { viewer, via: "token", challenge: BEARER_CHALLENGE };
  }
  if (access !== "public" && access.signedUrl && hasSignature(req)) {
    return { viewer: await verifySignedRequest(await db(), req, new Date()), via: "signed_url", challenge: BEARER_CHALLENGE };
  }
  return { viewer: await getViewer(), via: "session", challenge: null };
}

export function route<S extends z.ZodType | undefined = undefined, P = Record<string, string>>(
  options: Options<S, P> & { access: "public" },
  handler: (ctx: Ctx<BodyOf<S>, P>) => Promise<unknown>,
): (req: Request, ctx: { params: Promise<P> }) => Promise<Response>;
export function route<S extends z.ZodType | undefined = undefined, P = Record<string, string>>(
  options: Options<S, P> & { access: Exclude<Access, "public"> },
  handler: (ctx: SignedInCtx<BodyOf<S>, P>) => Promise<unknown>,
): (req: Request, ctx: { params: Promise<P> }) => Promise<Response>;
export function route<S extends z.ZodType | undefined, P>(options: Options<S, P>, handler: (ctx: SignedInCtx<BodyOf<S>, P>) => Promise<unknown>) {
  return async (req: Request, routeCtx: { params: Promise<P> }): Promise<Response> => {
    let locale: Locale = "en";
    let challenge: string | null = null;
    try {
      const auth = await authenticate(req, options.access);
      const viewer = auth.viewer;
      challenge = auth.challenge;
      const jar = await cookies();
      locale = resolveLocale({ profile: viewer?.locale, cookie: jar.get(LOCALE_COOKIE)?.value, acceptLanguage: req.headers.get("accept-language") });

      // A bearer or signed request carries no cookie credentials, so it cannot be forged across sites.
      if (STATE_CHANGING.has(req.method) && auth.via === "session") await requireSameOrigin(req);
      if (options.access !== "public") {
        if (!viewer) throw new AppError("unauthenticated");
        if (viewer.token) {
          const limited = apiLimiter.take(viewer.token.isSignedUrl ? `signed:${viewer.id}:${viewer.token.cameraIds?.join(",")}` : viewer.token.id, Date.now());
          if (!limited.ok) throw new AppError("throttled", { seconds: limited.retryAfterSeconds });
          // A token needs the route's scope (a route without one refused it above); a signed URL its own, read-only.
          const needed = options.access.token;
          if ((needed && !viewer.token.scopes.includes(needed)) || viewer.token.scopes.length === 0) {
            challenge = SCOPE_CHALLENGE;
            throw new AppError("forbidden");
          }
        }
        if (viewer.mustChangePassword && !options.access.allowPendingPasswordChange) throw new AppError("password_change_required");
        if (options.access.permission && !can(viewer.role, options.access.permission)) throw new AppError("forbidden");
      }
      const body = options.body ? await parseBody(req, options.body) : undefined;
      const params = (await routeCtx.params) ?? ({} as P);
      const result = await handler({ req, body: body as BodyOf<S>, params, viewer: viewer as Viewer, locale });
      if (options.activity && viewer && !(result instanceof Response && !result.ok)) {
        const spec = typeof options.activity === "function" ? options.activity({ req, params, body: body as BodyOf<S>, result }) : options.activity;
        const via = viewer.token ? (viewer.token.isSignedUrl ? { via: "signed_url" } : { tokenId: viewer.token.id }) : {};
        if (spec) await recordActivity(await db(), { ...spec, data: { ...spec.data, ...via }, actorId: viewer.id });
      }
      if (result instanceof Response) return result;
      return Response.json(result ?? { ok: true }, { status: options.successStatus ?? 200, headers: { "cache-control": "no-store" } });
    } catch (err) {
      const res = errorResponse(err, locale);
      if (challenge && (res.status === 401 || (res.status === 403 && challenge === SCOPE_CHALLENGE))) res.headers.set("www-authenticate", challenge);
      return res;
    }
  };
}

/** CSRF and DNS rebinding: the rule is lib/http/origin.ts; X-Forwarded-Host counts only behind a trusted proxy. */
async function requireSameOrigin(req: Request) {
  const h = await headers();
  const env = getEnv();
  const host = (env.TRUST_PROXY ? h.get("x-forwarded-host")?.split(",")[0]?.trim() : null) || h.get("host");
  const verdict = checkStateChangingRequest({ origin: req.headers.get("origin"), host }, { publicUrl: env.publicUrl, allowedHosts: env.allowedHosts });
  if (verdict.ok) return;
  log.warn("state-changing request refused", { reason: verdict.reason, detail: verdict.detail, path: new URL(req.url).pathname });
  throw new AppError(verdict.reason);
}

async function parseBody<S extends z.ZodType>(req: Request, schema: S): Promise<z.output<S>> {
  const type = req.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/json")) throw new AppError("unsupported_media_type");
  const limit = getEnv().MAX_JSON_BYTES;
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > limit) throw new AppError("payload_too_large", { kb: Math.floor(limit / 1024) });
  const text = await readLimited(req, limit);
  let json: unknown;
  try {
    json = text.length ? JSON.parse(text) : {};
  } catch {
    throw new AppError("bad_json");
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/** Reads the body as text, stopping with payload_too_large after `limit` bytes (whatever Content-Length said). */
export async function readLimited(req: Request, limit: number): Promise<string> {
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new AppError("payload_too_large", { kb: Math.floor(limit / 1024) });
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** zod issues → { field: code }; the code is our own message (e.g. "invalid_email") or zod's issue code. */
export function validationError(error: z.ZodError): AppError {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = issue.path.join(".") || "_";
    if (fields[field]) continue;
    fields[field] = /^[a-z_]+$/.test(issue.message) ? issue.message : issue.code;
  }
  return new AppError("validation", {}, fields);
}

export function errorResponse(err: unknown, locale: Locale): Response {
  const appError = isAppError(err) ? err : new AppError("internal");
  if (!isAppError(err)) log.error("unhandled error in route", { error: String((err as Error)?.stack ?? err) });
  const body = {
    error: {
      code: appError.code,
      message: translate(locale, `errors.${appError.code}`, appError.params),
      params: appError.params,
      fields: appError.fields
        ? Object.fromEntries(Object.entries(appError.fields).map(([f, code]) => [f, { code, message: translate(locale, `fieldErrors.${code}`, appError.params, `fieldErrors.invalid`) }]))
        : undefined,
    },
  };
  const headers: Record<string, string> = { "cache-control": "no-store" };
  if (appError.code === "throttled" && typeof appError.params.seconds === "number") headers["retry-after"] = String(appError.params.seconds);
  return Response.json(body, { status: appError.status, headers });
}
