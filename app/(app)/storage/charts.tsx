// The Storage page's two charts, drawn as inline SVG on the server (no chart library, no script): space used at the
// end of each day, and events per day stacked by camera. Each is one image with a summary as its accessible name.
import { formatBytes } from "@/lib/i18n/format";

const W = 640;
const H = 220;
const PAD = { left: 64, right: 12, top: 12, bottom: 28 };
const PLOT_W = W - PAD.left - PAD.right;
const PLOT_H = H - PAD.top - PAD.bottom;

/** One colour per camera, in the order of the legend (events of deleted cameras: grey). */
export const CAMERA_COLORS = ["#2259c0", "#d97706", "#059669", "#db2777", "#7c3aed", "#0891b2", "#65a30d", "#dc2626"];
export const DELETED_COLOR = "#71717a";

export function dayLabel(locale: string, day: string): string {
  // `day` is already a calendar day in the viewer's zone: format it as such (UTC in, UTC out).
  return new Intl.DateTimeFormat(locale, { month: "short", day: "numeric", timeZone: "UTC" }).format(new Date(`${day}T00:00:00Z`));
}

function XLabels({ days, locale, x }: { days: string[]; locale: string; x: (i: number) => number }) {
  const picks = [0, Math.floor((days.length - 1) / 2), days.length - 1];
  return (
    <g fontSize="11" fill="currentColor">
      {picks.map((i, k) => (
        <text key={k} x={x(i)} y={H - 8} textAnchor={k === 0 ? "start" : k === 2 ? "end" : "middle"}>
          {dayLabel(locale, days[i])}
        </text>
      ))}
    </g>
  );
}

function YGrid({ ticks, y, format }: { ticks: number[]; y: (v: number) => number; format: (v: number) => string }) {
  return (
    <g fontSize="11" fill="currentColor">
      {ticks.map((v, i) => (
        <g key={i}>
          <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} stroke="currentColor" strokeOpacity={0.2} />
          <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end">
            {format(v)}
          </text>
        </g>
      ))}
    </g>
  );
}

export function StorageHistoryChart({ days, bytes, locale, label }: { days: string[]; bytes: number[]; locale: string; label: string }) {
  const max = Math.max(1, ...bytes) * 1.1;
  const x = (i: number) => PAD.left + (i * PLOT_W) / Math.max(1, days.length - 1);
  const y = (v: number) => PAD.top + PLOT_H * (1 - v / max);
  const line = bytes.map((v, i) => `${i ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join("");
  const area = `${line}L${x(days.length - 1).toFixed(1)},${y(0)}L${x(0).toFixed(1)},${y(0)}Z`;
  return (
    <svg role="img" aria-label={label} viewBox={`0 0 ${W} ${H}`} className="h-auto w-full text-zinc-500 dark:text-zinc-400" data-testid="storage-history-chart">
      <YGrid ticks={[0, max / 2, max]} y={y} format={(v) => formatBytes(locale, v)} />
      <path d={area} fill="#2259c0" fillOpacity={0.15} />
      <path d={line} fill="none" stroke="#2259c0" strokeWidth={2} strokeLinejoin="round" />
      <XLabels days={days} locale={locale} x={x} />
    </svg>
  );
}

export function EventsPerDayChart({ days, series, locale, label }: { days: string[]; series: { counts: number[]; color: string; name: string }[]; locale: string; label: string }) {
  const totals = days.map((_, i) => series.reduce((n, s) => n + s.counts[i], 0));
  const max = Math.max(1, ...totals);
  const slot = PLOT_W / days.length;
  const x = (i: number) => PAD.left + i * slot + slot / 2;
  const y = (v: number) => PAD.top + PLOT_H * (1 - v / max);
  const number = new Intl.NumberFormat(locale);
  return (
    <svg role="img" aria-label={label} viewBox={`0 0 ${W} ${H}`} className="h-auto w-full text-zinc-500 dark:text-zinc-400" data-testid="events-per-day-chart">
      <YGrid ticks={max > 1 ? [0, Math.round(max / 2), max] : [0, max]} y={y} format={(v) => number.format(v)} />
      {days.map((day, i) => {
        let below = 0;
        return (
          <g key={day}>
            {series.map((s, k) => {
              const n = s.counts[i];
              if (!n) return null;
              const top = y(below + n);
              const height = y(below) - top;
              below += n;
              return (
                <rect key={k} x={x(i) - slot * 0.35} width={slot * 0.7} y={top} height={height} fill={s.color}>
                  <title>{`${dayLabel(locale, day)} · ${s.name}: ${number.format(n)}`}</title>
                </rect>
              );
            })}
          </g>
        );
      })}
      <XLabels days={days} locale={locale} x={x} />
    </svg>
  );
}
