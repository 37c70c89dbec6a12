// API reference: the OpenAPI document of /api/v1 (lib/api/openapi.ts, the same one GET /api/openapi.json serves)
// rendered here, from this server (no CDN, no Swagger UI): one section per tag, each operation with its method and
// path, summary, scope, parameters, request and response examples; the schemas at the end.
import { PageHeader } from "@/app/_components/page-header";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { requirePageViewer } from "@/lib/auth/guard";
import { getEnv } from "@/lib/env";
import { getT } from "@/lib/http/locale";
import { ScrollArea } from "@/app/_components/scroll-area";

export const dynamic = "force-dynamic";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const METHODS = ["get", "put", "patch", "post", "delete"] as const;

export async function generateMetadata() {
  return { title: (await getT())("apiReference.title") };
}

const anchor = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

function Code({ value, label }: { value: unknown; label: string }) {
  return (
    <ScrollArea as="pre" aria-label={label} className="mt-1 max-h-96 overflow-auto rounded bg-zinc-100 p-3 text-xs dark:bg-zinc-900">
      {typeof value === "string" ? value : JSON.stringify(value, null, 2)}
    </ScrollArea>
  );
}

/** The schema of a media type, or of a $ref'd component response, for display. */
function resolve(doc: Json, r: Json): Json {
  if (typeof r.$ref === "string" && r.$ref.startsWith("#/components/responses/")) return doc.components.responses[r.$ref.slice("#/components/responses/".length)];
  return r;
}

export default async function ApiReferencePage() {
  await requirePageViewer();
  const t = await getT();
  const doc = buildOpenApiDocument({ serverUrl: getEnv().publicUrl }) as Json;
  const operations = Object.entries(doc.paths as Json).flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((m) => ({ path, method: m, op: item[m] as Json })));
  const tags = doc.tags as { name: string; description: string }[];
  return (
    <>
      <PageHeader title={t("apiReference.title")}>
        <a href="/api/openapi.json" className="btn-secondary px-3 py-1 text-sm">
          {t("apiReference.document")}
        </a>
      </PageHeader>
      <p className="mb-2 max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">{t("apiReference.intro")}</p>
      <p className="mb-6 text-xs text-zinc-500" data-testid="api-version">
        {t("apiReference.version", { version: doc.info.version })} · OpenAPI {doc.openapi} · {doc.servers[0].url}
      </p>

      <nav aria-label={t("apiReference.contents")} className="mb-8">
        <ul className="flex flex-wrap gap-2 text-sm">
          {tags.map((tag) => (
            <li key={tag.name}>
              <a className="underline" href={`#tag-${anchor(tag.name)}`}>
                {tag.name}
              </a>
            </li>
          ))}
          <li>
            <a className="underline" href="#schemas">
              {t("apiReference.schemas")}
            </a>
          </li>
        </ul>
      </nav>

      {tags.map((tag) => (
        <section key={tag.name} aria-labelledby={`tag-${anchor(tag.name)}`} className="mb-10">
          <h2 id={`tag-${anchor(tag.name)}`} className="mb-1 text-xl font-semibold">
            {tag.name}
          </h2>
          <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">{tag.description}</p>
          {operations
            .filter((o) => o.op.tags[0] === tag.name)
            .map(({ path, method, op }) => {
              const body = op.requestBody?.content?.["application/json"];
              return (
                <article key={op.operationId} id={op.operationId} aria-labelledby={`${op.operationId}-title`} className="card mb-4" data-testid="operation" data-operation-id={op.operationId}>
                  <h3 id={`${op.operationId}-title`} className="break-all font-mono text-sm font-semibold">
                    <span className="mr-2 rounded bg-brand-600 px-1.5 py-0.5 text-white">{method.toUpperCase()}</span>{" "}
                    {path}
                  </h3>
                  <p className="mt-2 font-medium">{op.summary}</p>
                  <p className="mt-1 whitespace-pre-line text-sm text-zinc-600 dark:text-zinc-400">{op.description}</p>
                  <dl className="mt-3 grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-1 break-all text-sm">
                    {op["x-nightjar-scope"] ? (
                      <>
                        <dt className="text-zinc-500">{t("apiReference.scope")}</dt>
                        <dd className="font-mono" data-testid="scope">
                          {op["x-nightjar-scope"]}
                        </dd>
                        <dt className="text-zinc-500">{t("apiReference.permission")}</dt>
                        <dd className="font-mono">{op["x-nightjar-permission"]}</dd>
                      </>
                    ) : (
                      <>
                        <dt className="text-zinc-500">{t("apiReference.scope")}</dt>
                        <dd data-testid="scope">{t("apiReference.public")}</dd>
                      </>
                    )}
                    {op.security.some((s: Json) => "signedUrl" in s) ? (
                      <>
                        <dt className="text-zinc-500">{t("apiReference.signedUrl")}</dt>
                        <dd>{t("apiReference.yes")}</dd>
                      </>
                    ) : null}
                  </dl>

                  {op.parameters?.length ? (
                    <>
                      <h4 className="mt-4 text-sm font-semibold">{t("apiReference.parameters")}</h4>
                      <ScrollArea className="mt-1 overflow-x-auto">
                      <table className="w-full text-left text-sm">
                        <thead>
                          <tr className="text-zinc-500">
                            <th className="pr-3 font-normal">{t("apiReference.name")}</th>
                            <th className="pr-3 font-normal">{t("apiReference.where")}</th>
                            <th className="pr-3 font-normal">{t("apiReference.required")}</th>
                            <th className="font-normal">{t("apiReference.description")}</th>
                          </tr>
                        </thead>
                        <tbody>
                          {op.parameters.map((p: Json) => (
                            <tr key={`${p.in}-${p.name}`} className="align-top">
                              <td className="pr-3 font-mono">{p.name}</td>
                              <td className="pr-3">{p.in}</td>
                              <td className="pr-3">{p.required ? t("apiReference.yes") : t("apiReference.no")}</td>
                              <td>
                                {p.description ?? ""} <code className="break-all text-xs text-zinc-500">{JSON.stringify(p.schema)}</code>
                              </td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                      </ScrollArea>
                    </>
                  ) : null}

                  {body ? (
                    <>
                      <h4 className="mt-4 text-sm font-semibold">{t("apiReference.requestBody")}</h4>
                      {body.example !== undefined ? <Code value={body.example} label={`${t("apiReference.requestBody")}: ${t("apiReference.example")}`} /> : null}
                      <details className="mt-1 text-sm">
                        <summary>{t("apiReference.schema")}</summary>
                        <Code value={body.schema} label={`${t("apiReference.requestBody")}: ${t("apiReference.schema")}`} />
                      </details>
                    </>
                  ) : null}

                  <h4 className="mt-4 text-sm font-semibold">{t("apiReference.responses")}</h4>
                  <ul className="mt-1 space-y-2 text-sm">
                    {Object.entries(op.responses as Json).map(([status, raw]) => {
                      const r = resolve(doc, raw as Json);
                      const json = r.content?.["application/json"];
                      const types = Object.keys(r.content ?? {}).filter((c) => c !== "application/json");
                      return (
                        <li key={status} data-testid={`response-${status}`} className="break-words">
                          <span className="mr-2 font-mono font-semibold">{status}</span>
                          {r.description}
                          {types.length ? <span className="ml-2 font-mono text-xs text-zinc-500">{types.join(", ")}</span> : null}
                          {json?.schema?.$ref ? <a className="ml-2 font-mono text-xs underline" href={`#schema-${json.schema.$ref.split("/").pop()}`}>{json.schema.$ref.split("/").pop()}</a> : null}
                          {json?.example !== undefined && Number(status) < 300 ? <Code value={json.example} label={`${status}: ${t("apiReference.example")}`} /> : null}
                        </li>
                      );
                    })}
                  </ul>
                </article>
              );
            })}
        </section>
      ))}

      <section aria-labelledby="schemas" className="mb-10">
        <h2 id="schemas" className="mb-3 text-xl font-semibold">
          {t("apiReference.schemas")}
        </h2>
        {Object.entries(doc.components.schemas as Json).map(([name, schema]) => (
          <details key={name} id={`schema-${name}`} className="card mb-2 text-sm">
            <summary className="font-mono">{name}</summary>
            <Code value={schema} label={`${t("apiReference.schema")} ${name}`} />
          </details>
        ))}
      </section>

      <section aria-labelledby="planned" className="mb-10">
        <h2 id="planned" className="mb-2 text-xl font-semibold">
          {t("apiReference.planned")}
        </h2>
        <ul className="list-inside list-disc text-sm">
          {(doc.info["x-nightjar-planned"] as string[]).map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      </section>
    </>
  );
}
