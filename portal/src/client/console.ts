/// <reference lib="dom" />
// The Verifications page's live refresh (F8): every 10 s, while the first page is shown, it asks
// /console/api/verifications with the page's own filters; when the rows differ it reloads the page's list (the
// server renders it, in the page's language) and says so once in the polite live region. Dates are rewritten in
// the viewer's locale on load and after each update.
import { formatTimes, role } from './common';

const POLL_MS = 10_000;

function signature(ids: Array<{ publicId: string; status: string; riskLevel: string | null }>): string {
  return ids.map((i) => `${i.publicId}:${i.status}:${i.riskLevel ?? ''}`).join('|');
}

function current(list: HTMLElement): string {
  return Array.from(list.querySelectorAll<HTMLTableRowElement>('tr[data-id]'))
    .map((r) => `${r.dataset.id}:${r.dataset.status}:${r.dataset.risk ?? ''}`)
    .join('|');
}

async function poll(list: HTMLElement, live: HTMLElement) {
  const query = list.dataset.query ?? '';
  const res = await fetch(`/console/api/verifications${query}`, { headers: { accept: 'application/json' } });
  if (!res.ok) return;
  const body = (await res.json()) as {
    items: Array<{ publicId: string; status: string; riskLevel: string | null }>;
  };
  if (signature(body.items) === current(list)) return;
  const page = await fetch(`/console${query}`, { headers: { accept: 'text/html' } });
  if (!page.ok) return;
  const doc = new DOMParser().parseFromString(await page.text(), 'text/html');
  const fresh = doc.querySelector<HTMLElement>('[data-role="list"]');
  if (!fresh) return;
  list.innerHTML = fresh.innerHTML;
  formatTimes(list);
  live.textContent = live.dataset.updated ?? '';
}

document.addEventListener('DOMContentLoaded', () => {
  formatTimes();
  const list = role<HTMLElement>('list');
  const live = role<HTMLElement>('live');
  if (!list || !live || list.dataset.firstPage !== 'true') return;
  let busy = false;
  setInterval(() => {
    if (busy || document.hidden) return;
    busy = true;
    poll(list, live)
      .catch(() => undefined)
      .finally(() => {
        busy = false;
      });
  }, POLL_MS);
});
