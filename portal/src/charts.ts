// Charts for the console dashboard, drawn on the server as SVG: no chart library, no script, nothing inline for
// the CSP to refuse (presentation attributes only). Each chart is `role="img"` named by its <title> and described
// by a sentence; every chart on a page comes with a table of the same numbers (see `dataTable`).
import { esc } from './html';

export interface Datum {
  label: string;
  value: number;
}

/** A chart's drawing area: wide for desktop, narrow for a phone (375 px). Every chart is drawn in both and the
 * stylesheet shows the one that fits, so its labels stay readable (an SVG scaled down shrinks its text too). */
interface Size {
  w: number;
  h: number;
  pad: { top: number; right: number; bottom: number; left: number };
  /** At most this many x labels, so they never overlap */
  labels: number;
  font: number;
}
const WIDE: Size = { w: 640, h: 220, pad: { top: 12, right: 12, bottom: 36, left: 44 }, labels: 8, font: 11 };
const NARROW: Size = {
  w: 340,
  h: 200,
  pad: { top: 10, right: 10, bottom: 30, left: 34 },
  labels: 4,
  font: 11,
};

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));

/** A round top for the y axis: 1, 2, 5, 10, 20, 50… at or above the largest value. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

function svg(
  id: string,
  title: string,
  desc: string,
  inner: string,
  cls: string,
  w: number,
  h: number,
): string {
  return `<svg class="chart ${cls}" id="${esc(id)}" role="img" aria-labelledby="${esc(id)}-title ${esc(id)}-desc" viewBox="0 0 ${w} ${h}" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">
<title id="${esc(id)}-title">${esc(title)}</title>
<desc id="${esc(id)}-desc">${esc(desc)}</desc>
${inner}
</svg>`;
}

/** The chart twice — `id` (wide) and `id-narrow` — in one box; only one is displayed (and so in the a11y tree). */
function both(
  opts: { id: string; title: string; desc: string },
  draw: (s: Size) => { inner: string; h?: number },
): string {
  const wide = draw(WIDE);
  const narrow = draw(NARROW);
  return `<div class="chart-box">${svg(opts.id, opts.title, opts.desc, wide.inner, 'chart-wide', WIDE.w, wide.h ?? WIDE.h)}${svg(`${opts.id}-narrow`, opts.title, opts.desc, narrow.inner, 'chart-narrow', NARROW.w, narrow.h ?? NARROW.h)}</div>`;
}

function yAxis(s: Size, max: number): string {
  const ticks = [0, max / 2, max];
  const plotH = s.h - s.pad.top - s.pad.bottom;
  return ticks
    .map((v) => {
      const y = s.pad.top + plotH - (v / max) * plotH;
      return `<line x1="${s.pad.left}" x2="${s.w - s.pad.right}" y1="${y}" y2="${y}" stroke="#d1d5db" stroke-width="1"/><text x="${s.pad.left - 6}" y="${y + 4}" text-anchor="end" font-size="${s.font}" fill="#1f2937">${esc(fmt(v))}</text>`;
    })
    .join('');
}

/** Which x labels to print so they never overlap. */
const labelEvery = (s: Size, n: number) => Math.max(1, Math.ceil(n / s.labels));

const xLabel = (s: Size, x: number, label: string) =>
  `<text x="${x.toFixed(2)}" y="${s.h - s.pad.bottom + 16}" text-anchor="middle" font-size="${s.font}" fill="#1f2937">${esc(label)}</text>`;

/** Vertical bars, one per datum; each bar carries its label and value (`data-label`, `data-value`). */
export function barChart(opts: {
  id: string;
  title: string;
  desc: string;
  data: Datum[];
  color?: string;
}): string {
  const { data } = opts;
  const max = niceMax(Math.max(0, ...data.map((d) => d.value)));
  return both(opts, (s) => {
    const plotW = s.w - s.pad.left - s.pad.right;
    const plotH = s.h - s.pad.top - s.pad.bottom;
    const slot = data.length ? plotW / data.length : plotW;
    const bw = Math.max(1, slot * 0.7);
    const every = labelEvery(s, data.length);
    const bars = data
      .map((d, i) => {
        const h = (d.value / max) * plotH;
        const x = s.pad.left + i * slot + (slot - bw) / 2;
        const y = s.pad.top + plotH - h;
        const label = i % every === 0 ? xLabel(s, x + bw / 2, d.label) : '';
        return `<rect class="bar" data-label="${esc(d.label)}" data-value="${esc(d.value)}" x="${x.toFixed(2)}" y="${y.toFixed(2)}" width="${bw.toFixed(2)}" height="${h.toFixed(2)}" fill="${opts.color ?? '#1d4ed8'}"/>${label}`;
      })
      .join('');
    return { inner: yAxis(s, max) + bars };
  });
}

/** A line through the points (e.g. volume per day), with a dot on each. */
export function lineChart(opts: { id: string; title: string; desc: string; data: Datum[] }): string {
  const { data } = opts;
  const max = niceMax(Math.max(0, ...data.map((d) => d.value)));
  return both(opts, (s) => {
    const plotW = s.w - s.pad.left - s.pad.right;
    const plotH = s.h - s.pad.top - s.pad.bottom;
    const step = data.length > 1 ? plotW / (data.length - 1) : 0;
    const pts = data.map((d, i) => ({
      x: s.pad.left + (data.length > 1 ? i * step : plotW / 2),
      y: s.pad.top + plotH - (d.value / max) * plotH,
      d,
    }));
    const every = labelEvery(s, data.length);
    const line = pts.length
      ? `<polyline fill="none" stroke="#1d4ed8" stroke-width="2" points="${pts.map((p) => `${p.x.toFixed(2)},${p.y.toFixed(2)}`).join(' ')}"/>`
      : '';
    const dots = pts
      .map(
        (p, i) =>
          `<circle class="point" data-label="${esc(p.d.label)}" data-value="${esc(p.d.value)}" cx="${p.x.toFixed(2)}" cy="${p.y.toFixed(2)}" r="3" fill="#1d4ed8"/>${
            i % every === 0 ? xLabel(s, p.x, p.d.label) : ''
          }`,
      )
      .join('');
    return { inner: yAxis(s, max) + line + dots };
  });
}

export interface Segment extends Datum {
  color: string;
}

/** One horizontal bar split into segments (e.g. risk: verified / medium / high), with a legend (one row per
 * segment on a phone, side by side on a wide screen). */
export function stackedBar(opts: { id: string; title: string; desc: string; data: Segment[] }): string {
  const total = opts.data.reduce((s, d) => s + d.value, 0);
  return both(opts, (s) => {
    const width = s.w - 24;
    let x = 12;
    const segs = opts.data
      .map((d) => {
        const w = total ? (d.value / total) * width : 0;
        const r = `<rect class="segment" data-label="${esc(d.label)}" data-value="${esc(d.value)}" x="${x.toFixed(2)}" y="12" width="${w.toFixed(2)}" height="28" fill="${d.color}"/>`;
        x += w;
        return r;
      })
      .join('');
    const empty = total ? '' : `<rect x="12" y="12" width="${width}" height="28" fill="#e5e7eb"/>`;
    const stacked = s === NARROW;
    const legend = opts.data
      .map((d, i) => {
        const lx = stacked ? 12 : 12 + i * 200;
        const ly = stacked ? 56 + i * 20 : 56;
        return `<rect x="${lx}" y="${ly}" width="12" height="12" fill="${d.color}"/><text x="${lx + 18}" y="${ly + 10}" font-size="12" fill="#1f2937">${esc(`${d.label}: ${d.value}`)}</text>`;
      })
      .join('');
    return { inner: empty + segs + legend, h: stacked ? 60 + opts.data.length * 20 : 80 };
  });
}

/** The numbers behind a chart, in a disclosure: a real table with a caption and header cells. */
export function dataTable(opts: {
  summary: string;
  caption: string;
  head: string[];
  rows: Array<Array<string | number>>;
}): string {
  return `<details class="chart-data">
<summary>${esc(opts.summary)}</summary>
<div class="table-scroll"><table>
<caption>${esc(opts.caption)}</caption>
<thead><tr>${opts.head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead>
<tbody>${opts.rows
    .map(
      (r) =>
        `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${esc(c)}</th>` : `<td>${esc(c)}</td>`)).join('')}</tr>`,
    )
    .join('\n')}</tbody>
</table></div>
</details>`;
}
