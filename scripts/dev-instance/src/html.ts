// Plain, accessible HTML for the stand-in's pages. No inline script or style (strict CSP).

import type { User } from './store';

export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Only http(s) URLs become links (a stored `javascript:` value must never be clickable). */
export function safeHref(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : null;
  } catch {
    return null;
  }
}

export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

export function layout(
  title: string,
  body: string,
  user: User | null,
  opts: { scripts?: string[] } = {},
): string {
  const nav = user
    ? `<nav aria-label="Main"><ul>
<li><a href="/incident_list.do">Open incidents</a></li>
<li>Signed in as ${esc(user.name)} (${esc(user.userName)})</li>
<li><a href="/logout.do">Log out</a></li>
</ul></nav>`
    : '';
  const scripts = (opts.scripts ?? []).map((s) => `<script src="${esc(s)}" defer></script>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} | ServiceNow stand-in</title>
<link rel="stylesheet" href="/styles/stand-in.css">
${scripts}
</head>
<body>
<header><p class="brand">ServiceNow stand-in <span class="hint">(local development instance)</span></p>${nav}</header>
<main id="main">
${body}
</main>
</body>
</html>`;
}

export const STYLESHEET = `
body { font-family: system-ui, sans-serif; margin: 0; color: #1b1b1b; background: #f6f7f8; line-height: 1.5; }
header { background: #293e40; color: #fff; padding: .5rem 1rem; }
header a { color: #fff; }
header nav ul { list-style: none; display: flex; gap: 1.5rem; padding: 0; margin: .25rem 0 0; flex-wrap: wrap; }
.brand { font-weight: 700; margin: 0; }
.hint { font-weight: 400; opacity: .8; }
main { max-width: 70rem; margin: 1rem auto; padding: 0 1rem; }
section { background: #fff; border: 1px solid #d0d4d7; border-radius: 4px; padding: 1rem; margin-bottom: 1rem; }
dl.fields { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; }
dl.fields dt { font-weight: 600; }
dl.fields dd { margin: 0; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #d0d4d7; }
.verification-link a { font-weight: 700; }
.attention { color: #8a1c1c; font-weight: 600; }
.journal { list-style: none; padding: 0; }
.journal li { border-left: 3px solid #81b5a1; padding-left: .75rem; margin-bottom: .75rem; }
.journal .meta { color: #555; font-size: .9rem; margin: 0; }
.journal .text { white-space: pre-wrap; margin: .25rem 0 0; }
.error { color: #8a1c1c; font-weight: 600; }
form p { margin: .5rem 0; }
label { display: block; font-weight: 600; }
input[type=text], input[type=password] { padding: .4rem; min-width: 18rem; }
button { padding: .4rem 1rem; }
a:focus, button:focus, input:focus { outline: 3px solid #ffbf47; outline-offset: 2px; }
`;

/** Refreshes every element with `data-refresh-url` from its fragment every few seconds (no inline script). */
export const REFRESH_SCRIPT = `'use strict';
(function () {
  var blocks = document.querySelectorAll('[data-refresh-url]');
  if (!blocks.length || !window.fetch) return;
  setInterval(function () {
    blocks.forEach(function (el) {
      fetch(el.getAttribute('data-refresh-url'), { credentials: 'same-origin', headers: { Accept: 'text/html' } })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) { if (html !== null && html !== el.innerHTML) el.innerHTML = html; })
        .catch(function () {});
    });
  }, 3000);
})();
`;
