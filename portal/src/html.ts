// Escaping and the page frame. Every interpolated value goes through `esc`.
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (value: unknown): string => String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c]!);

export interface Frame {
  title: string;
  lang?: string;
  refreshSeconds?: number; // a meta refresh keeps status pages current without script
}

export function page(frame: Frame, body: string): string {
  return `<!doctype html>
<html lang="${esc(frame.lang ?? 'en')}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${frame.refreshSeconds ? `<meta http-equiv="refresh" content="${frame.refreshSeconds}">` : ''}
<title>${esc(frame.title)} · imper.ai Verify</title>
<link rel="stylesheet" href="/assets/app.css">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top"><span class="brand">imper.ai Verify</span></header>
<main id="main">
${body}
</main>
</body>
</html>`;
}
