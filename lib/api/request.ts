// Reading a v1 request's path and query through the operation's zod schemas (lib/api/operations.ts): the same
// 400 validation answer with per-field codes as a body (lib/http/route.ts validationError).
import { z } from "zod";
import { validationError } from "../http/route";

/** The innermost schema under optional/default wrappers (to tell array fields from single values). */
function innerType(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodNullable) s = s.unwrap() as z.ZodType;
  return s;
}

/** The query of `req` as the schema reads it: array fields take every value of a repeated key, others the first. */
export function readQuery<S extends z.ZodObject>(req: Request, schema: S): z.output<S> {
  const params = new URL(req.url).searchParams;
  const raw: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    const values = params.getAll(key).map((v) => v.trim());
    if (values.length === 0) continue;
    raw[key] = innerType(field as z.ZodType) instanceof z.ZodArray ? values.filter(Boolean) : values[0];
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

/** The path parameters, checked. */
export function readParams<S extends z.ZodObject>(params: unknown, schema: S): z.output<S> {
  const parsed = schema.safeParse(params);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}
