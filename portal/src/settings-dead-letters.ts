// The console's Settings — dead-letters section (F8 §6): its page body. The route wraps it in `consolePage`.
// The tenant's failed ticket updates, newest first, each with its own Retry form, and "Retry all shown" for the page;
// plain form POSTs with the session's anti-CSRF value (no script). Every value goes through `esc`.
import { esc, time, translator, type T } from './html';
import { isMessageKey, type Locale } from './i18n';
import { settingsNav } from './console-settings';

export interface DeadLetterRowView {
  id: string;
  publicId: string;
  ticketNumber: string;
  kind: string;
  attempts: number;
  error: { code: string; detail: string | null };
  deadAt: Date | string;
}

export interface DeadLettersPageData {
  roles: readonly string[];
  csrf: string;
  items: DeadLetterRowView[];
  total: number;
  nextCursor: string | null;
  /** Whether this page is a later one (a link back to the newest) */
  paged: boolean;
  /** After a retry: how many were queued again, how many were no longer failed */
  retried?: { queued: number; skipped: number };
}

const kindLabel = (t: T, kind: string) => {
  const key = `console.settings.deadLetters.kind.${kind}`;
  return isMessageKey(key) ? t(key) : t('console.settings.deadLetters.kind.other');
};

function retryNotice(t: T, r: DeadLettersPageData['retried']): string {
  if (!r) return '';
  const skipped = r.skipped
    ? ` ${t('console.settings.deadLetters.skipped', { count: String(r.skipped) })}`
    : '';
  return `<p class="notice notice-info dead-letters-queued" data-queued="${esc(r.queued)}">${t('console.settings.deadLetters.queued', { count: String(r.queued) })}${skipped}</p>`;
}

export function deadLettersBody(d: DeadLettersPageData, locale: Locale = 'en'): string {
  const t = translator(locale);
  const csrf = `<input type="hidden" name="csrf" value="${esc(d.csrf)}">`;
  const col = {
    ticket: t('console.settings.deadLetters.col.ticket'),
    verification: t('console.settings.deadLetters.col.verification'),
    kind: t('console.settings.deadLetters.col.kind'),
    attempts: t('console.settings.deadLetters.col.attempts'),
    error: t('console.settings.deadLetters.col.error'),
    deadSince: t('console.settings.deadLetters.col.deadSince'),
    retry: t('console.settings.deadLetters.col.retry'),
  };
  const rows = d.items
    .map((r) => {
      const kind = kindLabel(t, r.kind);
      return `<tr data-id="${esc(r.id)}">
<th scope="row" data-label="${col.ticket}">${esc(r.ticketNumber)}</th>
<td data-label="${col.verification}"><a href="/console/verifications/${encodeURIComponent(r.publicId)}">${esc(r.publicId)}</a></td>
<td data-label="${col.kind}">${kind}</td>
<td data-label="${col.attempts}">${esc(r.attempts)}</td>
<td data-label="${col.error}" class="dead-letter-error"><code>${esc(r.error.code)}</code>${r.error.detail ? ` <span class="muted">${esc(r.error.detail)}</span>` : ''}</td>
<td data-label="${col.deadSince}">${time(t, r.deadAt)}</td>
<td data-label="${col.retry}"><form method="post" action="/console/settings/dead-letters/retry" class="dead-letter-retry">${csrf}<input type="hidden" name="ids" value="${esc(r.id)}"><button type="submit" class="secondary">${t('console.settings.deadLetters.retry')}<span class="sr-only"> ${esc(r.ticketNumber)} · ${kind}</span></button></form></td>
</tr>`;
    })
    .join('\n');
  const retryAll = d.items.length
    ? `<form method="post" action="/console/settings/dead-letters/retry" class="dead-letters-retry-all">${csrf}${d.items
        .map((r) => `<input type="hidden" name="ids" value="${esc(r.id)}">`)
        .join(
          '',
        )}<button type="submit">${t('console.settings.deadLetters.retryAll', { count: String(d.items.length) })}</button> <span class="hint">${t('console.settings.deadLetters.retryAllHint')}</span></form>`
    : '';
  const pager = [
    d.paged ? `<a href="/console/settings/dead-letters">${t('console.settings.deadLetters.newest')}</a>` : '',
    d.nextCursor
      ? `<a class="next-page" href="/console/settings/dead-letters?cursor=${encodeURIComponent(d.nextCursor)}">${t('console.settings.deadLetters.older')}</a>`
      : '',
  ].filter(Boolean);
  return `${settingsNav(d.roles, 'deadLetters', locale)}
<h1>${t('console.settings.deadLetters.title')}</h1>
<p class="lead">${t('console.settings.deadLetters.intro')}</p>
<div role="status" aria-live="polite">${retryNotice(t, d.retried)}</div>
${
  d.items.length
    ? `<p class="dead-letters-total" data-total="${esc(d.total)}">${t('console.settings.deadLetters.total', { count: String(d.total) })}</p>
${retryAll}
<div class="table-scroll" tabindex="0" role="region" aria-labelledby="dead-letters-caption"><table class="dead-letters">
<caption id="dead-letters-caption">${t('console.settings.deadLetters.caption')}</caption>
<thead><tr><th scope="col">${col.ticket}</th><th scope="col">${col.verification}</th><th scope="col">${col.kind}</th><th scope="col">${col.attempts}</th><th scope="col">${col.error}</th><th scope="col">${col.deadSince}</th><th scope="col">${col.retry}</th></tr></thead>
<tbody>
${rows}
</tbody>
</table></div>`
    : `<p class="empty">${t('console.settings.deadLetters.empty')}</p>`
}
${pager.length ? `<p class="pager">${pager.join('')}</p>` : ''}`;
}
