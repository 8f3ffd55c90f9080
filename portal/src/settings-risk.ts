// The console's Settings — risk section (F8 §6): its page body. The route wraps it in `consolePage`.
//
// A table of the thresholds in effect (all requests, then each known request category): the numbers, where they come
// from, and a small bar per row drawn on the server (SVG, an image named by its numbers, also in the table) showing the
// Verified / Medium / High bands over the 0–10 score. Below it one form sets a category's (or all requests')
// thresholds; a row the console set has a "Use the default" button. No script: plain forms, PRG.
import { settingsNav } from './console-settings';
import { esc, time, translator, type T } from './html';
import { text, type Locale } from './i18n';

export type RiskThresholdSource = 'default' | 'configuration' | 'console';

export interface RiskThresholdRowView {
  /** '' = all requests */
  category: string;
  medium: number;
  high: number;
  source: RiskThresholdSource;
  /** A category row whose numbers come from the all-requests row */
  inherited: boolean;
  /** The console's own setting of this row */
  override: { updatedBy: string; updatedAt: Date | string } | null;
  /** What the row gets without its console setting */
  withoutOverride: { medium: number; high: number; source: RiskThresholdSource; inherited: boolean };
}

export type RiskFieldProblem = 'category' | 'number' | 'decimals' | 'order';

export interface RiskSettingsPageData {
  rows: RiskThresholdRowView[];
  csrf: string;
  /** Whether the categories of the tenant's ServiceNow policies could be read ('none': no instance to ask) */
  servicenow: 'ok' | 'unavailable' | 'none';
  /** The confirmation after a change (PRG) */
  done?: { kind: 'saved' | 'reset'; category: string } | undefined;
  /** The form's values: as typed after a refused change, or a row's when its "Change" link was followed */
  form?: { category: string; medium: string; high: string } | undefined;
  problems?: { category?: RiskFieldProblem; medium?: RiskFieldProblem; high?: RiskFieldProblem } | undefined;
}

const COLORS = { verified: '#15803d', medium: '#b45309', high: '#b91c1c' } as const;

const number = (locale: Locale, n: number) =>
  new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(n);

const rowName = (t: T, category: string) =>
  category === '' ? t('console.settings.risk.allRequests') : esc(category);

/** The 0–10 score as three bands, an image named by `label` (the row's numbers are in its cells as well). */
export function riskBands(medium: number, high: number, label: string, locale: Locale = 'en'): string {
  const W = 200;
  const pad = 8;
  const x = (v: number) => pad + (Math.max(0, Math.min(10, v)) / 10) * (W - 2 * pad);
  const band = (cls: keyof typeof COLORS, from: number, to: number) =>
    `<rect class="band" data-band="${cls}" x="${x(from).toFixed(1)}" y="4" width="${Math.max(0, x(to) - x(from)).toFixed(1)}" height="14" fill="${COLORS[cls]}"/>`;
  const close = x(high) - x(medium) < 18;
  const tick = (v: number, anchor: 'start' | 'middle' | 'end') =>
    `<line x1="${x(v).toFixed(1)}" x2="${x(v).toFixed(1)}" y1="2" y2="20" stroke="#1f2937" stroke-width="1"/><text x="${x(v).toFixed(1)}" y="33" text-anchor="${anchor}" font-size="12" fill="#1f2937">${esc(number(locale, v))}</text>`;
  return `<svg class="risk-bands" viewBox="0 0 ${W} 36" width="${W}" height="36" role="img" aria-label="${esc(label)}" focusable="false" xmlns="http://www.w3.org/2000/svg">${band('verified', 0, medium)}${band('medium', medium, high)}${band('high', high, 10)}${tick(medium, close ? 'end' : 'middle')}${tick(high, close ? 'start' : 'middle')}</svg>`;
}

const bandsLabel = (t: T, r: { medium: number; high: number }) =>
  text(t.locale, 'console.settings.risk.bandsLabel', {
    medium: number(t.locale, r.medium),
    high: number(t.locale, r.high),
  });

function sourceText(t: T, r: Pick<RiskThresholdRowView, 'source' | 'inherited'>): string {
  const s = t(`console.settings.risk.source.${r.source}`);
  return r.inherited ? t.html('console.settings.risk.inherited', { source: s }) : s;
}

function sourceCell(t: T, r: RiskThresholdRowView): string {
  if (r.source === 'console' && r.override && !r.inherited) {
    const who = t.html('console.settings.risk.setInConsole', {
      user: `<strong>${esc(r.override.updatedBy)}</strong>`,
      time: time(t, r.override.updatedAt),
    });
    const w = r.withoutOverride;
    const without = t.html('console.settings.risk.without', {
      medium: esc(number(t.locale, w.medium)),
      high: esc(number(t.locale, w.high)),
      source: sourceText(t, w),
    });
    return `${who}<br><span class="muted">${without}</span>`;
  }
  return sourceText(t, r);
}

function tableRow(t: T, csrf: string, r: RiskThresholdRowView): string {
  const name = rowName(t, r.category);
  const forRow = `<span class="sr-only"> ${t.html('console.settings.risk.forRow', { name })}</span>`;
  const edit = `/console/settings/risk?edit=${encodeURIComponent(r.category)}#risk-form`;
  const reset = r.override
    ? `<form method="post" action="/console/settings/risk/reset" class="risk-reset">
<input type="hidden" name="csrf" value="${esc(csrf)}">
<input type="hidden" name="category" value="${esc(r.category)}">
<button type="submit" class="secondary">${t('console.settings.risk.reset')}${forRow}</button>
</form>`
    : '';
  // On a phone the rows stack (CSS): each cell then shows its column's name, hidden on wider screens.
  const cell = (field: 'medium' | 'high' | 'source', value: string) =>
    `<td data-field="${field}"><span class="risk-cell-label">${t(`console.settings.risk.col.${field}`)}</span> <span class="risk-value">${value}</span></td>`;
  return `<tr data-category="${esc(r.category)}" data-source="${r.source}">
<th scope="row">${name}</th>
${cell('medium', esc(number(t.locale, r.medium)))}
${cell('high', esc(number(t.locale, r.high)))}
${cell('source', sourceCell(t, r))}
<td class="risk-bands-cell">${riskBands(r.medium, r.high, bandsLabel(t, r), t.locale)}</td>
<td class="risk-actions"><a href="${esc(edit)}">${t('console.settings.risk.change')}${forRow}</a>${reset}</td>
</tr>`;
}

function field(
  t: T,
  o: {
    name: 'category' | 'medium' | 'high';
    value: string;
    hint?: string;
    problem: RiskFieldProblem | undefined;
    /** The error shown by another field that this one is part of (Medium with "lower than High") */
    sharedError?: string | undefined;
  },
): string {
  const id = `risk-${o.name}`;
  const describedBy = [
    o.hint ? `${id}-hint` : '',
    o.problem ? `${id}-error` : '',
    o.sharedError ?? '',
    o.name !== 'category' ? 'risk-scores-hint' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const invalid = o.problem || o.sharedError ? ' aria-invalid="true"' : '';
  const input =
    o.name === 'category'
      ? `<input type="text" id="${id}" name="category" value="${esc(o.value)}" maxlength="80" autocomplete="off" spellcheck="false" list="risk-categories"${invalid} aria-describedby="${describedBy}">`
      : `<input type="number" id="${id}" name="${o.name}" value="${esc(o.value)}" step="0.5" min="0.5" max="10" inputmode="decimal" required${invalid} aria-describedby="${describedBy}">`;
  return `<div class="field">
<label for="${id}">${t(`console.settings.risk.form.${o.name}`)}</label>
${o.hint ? `<p class="hint" id="${id}-hint">${o.hint}</p>` : ''}
${o.problem ? `<p class="form-error" id="${id}-error">${t(`console.settings.risk.error.${o.problem}`)}</p>` : ''}
${input}
</div>`;
}

function doneNotice(t: T, d: RiskSettingsPageData): string {
  if (!d.done) return '';
  const all = d.rows.find((x) => x.category === '');
  // A category the console alone knew is no row once reset: it now gets the all-requests pair.
  const r =
    d.rows.find((x) => x.category === d.done!.category) ??
    (d.done.kind === 'reset' && all
      ? { ...all, inherited: all.source !== 'default', category: d.done.category }
      : undefined);
  const name = rowName(t, d.done.category);
  if (!r) return `<p class="notice notice-info" role="status">${t('console.settings.risk.savedPlain')}</p>`;
  const vars = {
    medium: esc(number(t.locale, r.medium)),
    high: esc(number(t.locale, r.high)),
    source: sourceText(t, r),
    name,
  };
  const key = d.done.kind === 'saved' ? 'console.settings.risk.saved' : 'console.settings.risk.resetDone';
  return `<p class="notice notice-info" role="status" data-done="${d.done.kind}">${t.html(key, vars)}</p>`;
}

/** `/console/settings/risk`: the thresholds in effect, per row, and the form that changes them. */
export function riskSettingsBody(
  roles: readonly string[],
  d: RiskSettingsPageData,
  locale: Locale = 'en',
): string {
  const t = translator(locale);
  const p = d.problems ?? {};
  const form = d.form ?? { category: '', medium: '', high: '' };
  const failed = Boolean(p.category || p.medium || p.high);
  const options = d.rows
    .filter((r) => r.category !== '')
    .map((r) => `<option value="${esc(r.category)}"></option>`)
    .join('');
  const summary = failed
    ? `<div class="notice notice-error" role="alert" id="risk-errors">
<p><strong>${t('console.settings.risk.form.notSaved')}</strong></p>
<ul>${(['category', 'medium', 'high'] as const)
        .filter((k) => p[k])
        .map(
          (k) =>
            `<li><a href="#risk-${k}">${t(`console.settings.risk.form.${k}`)}: ${t(`console.settings.risk.error.${p[k]!}`)}</a></li>`,
        )
        .join('')}</ul>
</div>`
    : '';
  const legend = (['verified', 'medium', 'high'] as const)
    .map(
      (k) =>
        `<li><span class="risk-swatch risk-swatch-${k}" aria-hidden="true"></span>${t(`console.settings.risk.legend.${k}`)}</li>`,
    )
    .join('');
  return `${settingsNav(roles, 'risk', locale)}
<h1>${t('console.settings.risk.title')}</h1>
<p class="lead">${t('console.settings.risk.intro')}</p>
<p>${t('console.settings.risk.precedence')}</p>
${doneNotice(t, d)}
${d.servicenow === 'unavailable' ? `<p class="notice notice-error" data-servicenow="unavailable">${t('console.settings.risk.servicenowUnavailable')}</p>` : ''}
<ul class="risk-legend">${legend}</ul>
<div class="table-scroll" tabindex="0" role="region" aria-labelledby="risk-caption">
<table class="risk-table">
<caption id="risk-caption">${t('console.settings.risk.caption')}</caption>
<thead><tr><th scope="col">${t('console.settings.risk.col.requests')}</th><th scope="col">${t('console.settings.risk.col.medium')}</th><th scope="col">${t('console.settings.risk.col.high')}</th><th scope="col">${t('console.settings.risk.col.source')}</th><th scope="col">${t('console.settings.risk.col.bands')}</th><th scope="col">${t('console.settings.risk.col.actions')}</th></tr></thead>
<tbody>
${d.rows.map((r) => tableRow(t, d.csrf, r)).join('\n')}
</tbody>
</table>
</div>
<section class="card risk-form-card" id="risk-form" tabindex="-1" aria-labelledby="risk-form-h">
<h2 id="risk-form-h">${t('console.settings.risk.form.title')}</h2>
${summary}
<form method="post" action="/console/settings/risk" class="risk-form" novalidate>
<input type="hidden" name="csrf" value="${esc(d.csrf)}">
${field(t, { name: 'category', value: form.category, hint: t('console.settings.risk.form.categoryHint'), problem: p.category })}
<datalist id="risk-categories">${options}</datalist>
<div class="risk-scores">
${field(t, { name: 'medium', value: form.medium, problem: p.medium, sharedError: p.high === 'order' && !p.medium ? 'risk-high-error' : undefined })}
${field(t, { name: 'high', value: form.high, problem: p.high })}
</div>
<p class="hint" id="risk-scores-hint">${t('console.settings.risk.form.scoresHint')}</p>
<button type="submit">${t('console.settings.risk.form.save')}</button>
</form>
</section>`;
}
