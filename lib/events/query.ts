// The events filters as they travel in a URL, so that a reload keeps them (the Events page and GET /api/events share
// them): camera=<id> (repeated), from=<day or instant>, to=<day or instant>, protected=yes|no, label=<label or group>
// (repeated: person, animal, vehicle, cat, car…; any of them), day=<YYYY-MM-DD> (the timeline's day), show=review|all
// (the member's review queue or every event; the Events page opens on the queue, the API lists all unless asked). Pure: used by server and client code; lib/events/filters.ts checks the values. Also the key of
// the timeline lane an event belongs to.

export type FilterQuery = {
  camera: string[];
  from: string;
  to: string;
  protected: "" | "yes" | "no";
  /** Object labels or groups, as given (lib/events/filters.ts checks and expands them). */
  label: string[];
  day: string;
  /** "review": only what this member has not reviewed; "all": every event; "": the caller's default. */
  show: "" | "review" | "all";
};

type Params = URLSearchParams | Record<string, string | string[] | undefined>;

function all(params: Params, key: string): string[] {
  if (params instanceof URLSearchParams) return params.getAll(key);
  const v = params[key];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}
const one = (params: Params, key: string) => all(params, key)[0]?.trim() ?? "";

/** The raw query values (trimmed, unchecked), e.g. to refill the filter form. */
export function readFilterQuery(params: Params): FilterQuery {
  const prot = one(params, "protected");
  const show = one(params, "show");
  return {
    camera: [...new Set(all(params, "camera").map((c) => c.trim()).filter(Boolean))],
    from: one(params, "from"),
    to: one(params, "to"),
    protected: prot === "yes" || prot === "no" ? prot : "",
    label: [...new Set(all(params, "label").map((l) => l.trim()).filter(Boolean))],
    day: one(params, "day"),
    show: show === "review" || show === "all" ? show : "",
  };
}

/** The query string of a filter set (empty values left out), for links and the address bar. */
export function filterQueryString(q: Partial<FilterQuery>): string {
  const s = new URLSearchParams();
  for (const c of q.camera ?? []) s.append("camera", c);
  if (q.from) s.set("from", q.from);
  if (q.to) s.set("to", q.to);
  if (q.protected) s.set("protected", q.protected);
  for (const l of q.label ?? []) s.append("label", l);
  if (q.day) s.set("day", q.day);
  if (q.show) s.set("show", q.show);
  const text = s.toString();
  return text ? `?${text}` : "";
}

/** The timeline lane of an event: its camera, or for a deleted camera its name. */
export function laneKey(e: { cameraId: string | null; cameraName: string }): string {
  return e.cameraId ?? `deleted:${e.cameraName}`;
}
