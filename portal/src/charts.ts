// Charts for the console dashboard, drawn on the server as SVG: no chart library, no script, nothing inline for
// the CSP to refuse (presentation attributes only). Each chart is `role="img"` named by its <title> and described
// by a sentence; every chart on a page comes with a table of the same numbers (see `dataTable`).
import { esc } from './html';

export interface Datum {
  label: string;
  value: number;
}

const W = 640;
const H = 220;
const PAD = { top: 12, right: 12, bottom: 36, left: 44 };

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));

/** A round top for the y axis: 1, 2, 5, 10, 20, 50… at or above the largest value. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

function frame(id: string, title: string, desc: string, inner: string, width = W, height = H): string {
  return `<svg class="chart" id="${esc(id)}" role="img" aria-labelledby="${esc(id)}-title ${esc(id)}-desc" viewBox="0 0 ${width} ${height}" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">
<title id="${esc(id)}-title">${esc(title)}</title>
<desc id="${esc(id)}-desc">${esc(desc)}</desc>
${inner}
</svg>`;
}

function yAxis(max: number): string {
  const ticks = [0, max / 2, max];
  const plotH = H - PAD.top - PAD.bottom;
  return ticks
    .map((v) => {
      const y = PAD.top + plotH - (v / max) * plotH;
      return `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y}" y2="${y}" stroke="#d1d5db" stroke-width="1"/><text x="${PAD.left - 6}" y="${y + 4}" text-anchor="end" font-size="11" fill="#1f2937">${esc(fmt(v))}</text>`;
    })
    .join('');
}

/** Which x labels to print so they never overlap: at most ~8. */
const labelEvery = (n: number) => Math.max(1, Math.ceil(n / 8));

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
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const slot = data.length ? plotW / data.length : plotW;
  const bw = Math.max(1, slot * 0.7);
  const every = labelEvery(data.length);
  const bars = data
    .map((d, i) => {
      const h = (d.value / max) * plotH;
      const x = PAD.left + i * slot + (slot - bw) / 2;
      const y = PAD.top + plotH - h;
      const label =
        i % every === 0
          ? `<text x="${x + bw / 2}" y="${H - PAD.bottom + 16}" text-anchor="middle" font-size="11" fill="#1f2937">${esc(d.label)}</text>`
          : '';
      return `<rect class="bar" data-label="${esc(d.label)}" data-value="${esc(d.value)}" x="${x.toFixed(2)}" y="${y.toFixed(2)}" width="${bw.toFixed(2)}" height="${h.toFixed(2)}" fill="${opts.color ?? '#1d4ed8'}"/>${label}`;
    })
    .join('');
  return frame(opts.id, opts.title, opts.desc, yAxis(max) + bars);
}

/** A line through the points (e.g. volume per day), with a dot on each. */
export function lineChart(opts: { id: string; title: string; desc: string; data: Datum[] }): string {
  const { data } = opts;
  const max = niceMax(Math.max(0, ...data.map((d) => d.value)));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const step = data.length > 1 ? plotW / (data.length - 1) : 0;
  const pts = data.map((d, i) => ({
    x: PAD.left + (data.length > 1 ? i * step : plotW / 2),
    y: PAD.top + plotH - (d.value / max) * plotH,
    d,
  }));
  const every = labelEvery(data.length);
  const line = pts.length
    ? `<polyline fill="none" stroke="#1d4ed8" stroke-width="2" points="${pts.map((p) => `${p.x.toFixed(2)},${p.y.toFixed(2)}`).join(' ')}"/>`
    : '';
  const dots = pts
    .map(
      (p, i) =>
        `<circle class="point" data-label="${esc(p.d.label)}" data-value="${esc(p.d.value)}" cx="${p.x.toFixed(2)}" cy="${p.y.toFixed(2)}" r="3" fill="#1d4ed8"/>${
          i % every === 0
            ? `<text x="${p.x.toFixed(2)}" y="${H - PAD.bottom + 16}" text-anchor="middle" font-size="11" fill="#1f2937">${esc(p.d.label)}</text>`
            : ''
        }`,
    )
    .join('');
  return frame(opts.id, opts.title, opts.desc, yAxis(max) + line + dots);
}

export interface Segment extends Datum {
  color: string;
}

/** One horizontal bar split into segments (e.g. risk: verified / medium / high), with a legend. */
export function stackedBar(opts: { id: string; title: string; desc: string; data: Segment[] }): string {
  const total = opts.data.reduce((s, d) => s + d.value, 0);
  const width = W - 24;
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
  const legend = opts.data
    .map(
      (d, i) =>
        `<rect x="${12 + i * 200}" y="56" width="12" height="12" fill="${d.color}"/><text x="${30 + i * 200}" y="66" font-size="12" fill="#1f2937">${esc(`${d.label}: ${d.value}`)}</text>`,
    )
    .join('');
  return frame(opts.id, opts.title, opts.desc, empty + segs + legend, W, 80);
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
