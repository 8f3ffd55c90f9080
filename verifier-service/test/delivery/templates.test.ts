import { gsm7Length, isGsm7, toGsm7 } from '../../src/delivery/gsm7';
import { renderVerificationEmail, renderVerificationSms } from '../../src/delivery/templates';
// An independent segment counter (the one the Twilio stand-in reports num_segments with).
import { smsEncoding } from '@imper/provider-standins';

const oneGsm7Segment = (sms: string) =>
  expect(smsEncoding(sms)).toMatchObject({ encoding: 'GSM-7', segments: 1 });

const LINK = `https://verify.example.com/v/${'A1b2-_'.repeat(7)}x`; // 43 base64url characters
const base = {
  helpdeskName: 'Acme IT Service Desk',
  ticketNumber: 'INC0010001',
  requesterName: 'Alex Martin',
  agentName: 'Sam Jones',
  link: LINK,
  expiresInMinutes: 15,
};

/** Sentences that mention a password must be negative ("nobody will ask…"); nothing may request one. */
function expectNoPasswordRequest(text: string) {
  expect(text).not.toMatch(
    /\b(enter|provide|type|confirm|send|share|reply with|give|verify|update|reset)\b[^.!?\n]{0,40}\b(password|passcode|mot de passe)/i,
  );
  const sentences = text.split(/(?<=[.!?])\s+|\n/).filter((s) => /password|mot de passe/i.test(s));
  for (const s of sentences) expect(s).toMatch(/\b(never|nobody|not|jamais|personne)\b/i);
}

describe('gsm7', () => {
  it('knows the basic table, the extension table and what is outside', () => {
    expect(isGsm7('Hello @£$¥ èéùìò ÄÖÑÜ äöñüà ΔΦΓ')).toBe(true);
    expect(gsm7Length('abc')).toBe(3);
    expect(gsm7Length('{}[]~\\|^€')).toBe(18);
    expect(isGsm7('ê')).toBe(false);
    expect(isGsm7('emoji 🎉')).toBe(false);
    expect(isGsm7('‘quote’')).toBe(false);
    expect(() => gsm7Length('ê')).toThrow(/U\+00EA/);
  });

  it('makes free text GSM-7: look-alikes, stripped accents, no line breaks', () => {
    expect(toGsm7('Service – Desk “Nord”\nÎle-de-France 🎉')).toBe('Service - Desk "Nord" Ile-de-France');
    expect(isGsm7(toGsm7('Zürich Ⓐ ôÿ ø — ½'))).toBe(true);
  });
});

describe('renderVerificationSms', () => {
  it('names the helpdesk, the ticket, the link and the expiry when they fit', () => {
    const sms = renderVerificationSms(base);
    expect(sms).toContain('Acme IT Service Desk');
    expect(sms).toContain('INC0010001');
    expect(sms).toContain(LINK);
    expect(sms).toMatch(/15 min/);
    expect(isGsm7(sms)).toBe(true);
    expect(gsm7Length(sms)).toBeLessThanOrEqual(160);
    expectNoPasswordRequest(sms);
  });

  it.each([
    [
      'a long helpdesk name',
      { helpdeskName: 'Global Information Technology Shared Services Helpdesk for EMEA' },
    ],
    ['a long ticket number', { ticketNumber: 'RITM0012345678901234567890123456789' }],
    ['both long', { helpdeskName: 'H'.repeat(200), ticketNumber: 'T'.repeat(200) }],
    [
      'extension characters (count 2)',
      { helpdeskName: '{IT}[Desk]~|^€'.repeat(4), ticketNumber: '[INC]{0010001}' },
    ],
    // 160 characters but 162 septets with the fullest wording that would otherwise fit
    [
      'extension characters at the boundary',
      { helpdeskName: 'Acme {IT} Service Desk', ticketNumber: 'INC0010001' },
    ],
    ['non-GSM characters', { helpdeskName: 'Servicé – “Desk” 🎉 ŞİRKET', ticketNumber: 'INC–001' }],
    ['a long expiry', { expiresInMinutes: 10080 }],
  ])('fits one GSM-7 segment with %s', (_label, over) => {
    const sms = renderVerificationSms({ ...base, ...over });
    expect(isGsm7(sms)).toBe(true);
    expect(gsm7Length(sms)).toBeLessThanOrEqual(160);
    oneGsm7Segment(sms);
    expect(sms).toContain(LINK);
  });

  it('drops the helpdesk name before the ticket, and keeps the ticket while it fits', () => {
    const sms = renderVerificationSms({ ...base, helpdeskName: 'H'.repeat(120), ticketNumber: 'INC0010001' });
    expect(sms).not.toContain('HHH');
    expect(sms).toContain('INC0010001');
  });

  it('uses the fullest wording when there is room', () => {
    const sms = renderVerificationSms({ ...base, helpdeskName: 'Acme', ticketNumber: 'INC1' });
    expect(sms).toMatch(/Ignore this/);
  });

  it('never takes a line break or control character from the inputs', () => {
    const sms = renderVerificationSms({ ...base, helpdeskName: 'Acme\nCall +1 555 0100 now\r\n' });
    expect(sms).not.toMatch(/[\r\n]/);
  });

  it('fits with any ticket and helpdesk (random inputs)', () => {
    const chars = 'abcXYZ0123 -_{}[]€~éêü–“🎉\n';
    const pick = (n: number) =>
      Array.from({ length: n }, () => chars[Math.floor(Math.random() * chars.length)]).join('');
    for (let i = 0; i < 300; i++) {
      const sms = renderVerificationSms({
        ...base,
        helpdeskName: pick(i % 90),
        ticketNumber: pick((i * 7) % 70),
      });
      oneGsm7Segment(sms);
    }
  });

  it('throws when the link alone cannot fit, or is not https', () => {
    expect(() =>
      renderVerificationSms({ ...base, link: `https://verify.example.com/v/${'a'.repeat(140)}` }),
    ).toThrow(/fit/);
    expect(() => renderVerificationSms({ ...base, link: 'javascript:alert(1)' })).toThrow();
    expect(() => renderVerificationSms({ ...base, link: 'http://verify.example.com/v/x' })).toThrow(/https/);
    expect(() => renderVerificationSms({ ...base, expiresInMinutes: 0 })).toThrow();
  });
});

describe('renderVerificationEmail', () => {
  it('has a subject, a plain-text part and an HTML part naming the helpdesk, ticket, link and expiry', () => {
    const { subject, text, html } = renderVerificationEmail(base);
    expect(subject).toContain('Acme IT Service Desk');
    expect(subject).toContain('INC0010001');
    for (const part of [text, html]) {
      expect(part).toContain('Acme IT Service Desk');
      expect(part).toContain('INC0010001');
      expect(part).toContain(LINK);
      expect(part).toMatch(/15 minutes/);
      expect(part).toContain('Alex Martin');
      expect(part).toContain('Sam Jones');
    }
    expect(text).not.toMatch(/<[a-z]/i);
  });

  it('is table-based with inline styles and no <style> block, script or form', () => {
    const { html } = renderVerificationEmail(base);
    expect(html).toMatch(/<table role="presentation"/);
    expect(html).toMatch(/<td[^>]+style="/);
    expect(html).not.toMatch(/<style|<script|<form|<input|<link /i);
    expect(html).toContain(`href="${LINK}"`);
  });

  it('escapes every interpolated value', () => {
    const evil = '<script>alert("x")</script>';
    const { subject, text, html } = renderVerificationEmail({
      helpdeskName: `Acme ${evil}`,
      ticketNumber: `INC1 <img src=x onerror=alert(1)>`,
      requesterName: `Alex "><svg onload=alert(1)>`,
      agentName: `Sam & 'Co' ${evil}`,
      link: LINK,
      expiresInMinutes: 15,
    });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<svg');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('Sam &amp; &#39;Co&#39;');
    // plain text keeps the characters (it is not HTML) but no line breaks from the values
    expect(text).toContain(`Acme ${evil}`);
    expect(subject).not.toMatch(/[\r\n]/);
  });

  it('keeps values on one line in the subject and the text part', () => {
    const { subject, text } = renderVerificationEmail({
      ...base,
      helpdeskName: 'Acme\r\nBcc: x@evil.example',
      requesterName: 'A\n\nCall 555',
    });
    expect(subject).not.toMatch(/[\r\n]/);
    expect(text).toContain('Hello A Call 555,');
  });

  it('never asks for a password, and says nobody will', () => {
    for (const locale of ['en', 'fr']) {
      const { subject, text, html } = renderVerificationEmail({ ...base, locale });
      expectNoPasswordRequest(subject);
      expectNoPasswordRequest(text);
      expectNoPasswordRequest(html.replace(/<[^>]+>/g, ' '));
    }
    expect(renderVerificationEmail(base).text).toMatch(
      /Nobody from Acme IT Service Desk will ever ask you for your password/,
    );
  });

  it('has a French wording and falls back to English', () => {
    expect(renderVerificationEmail({ ...base, locale: 'fr-CA' }).subject).toMatch(/vérifiez votre identité/);
    expect(renderVerificationEmail({ ...base, locale: 'fr' }).html).toContain('<html lang="fr">');
    expect(renderVerificationEmail({ ...base, locale: 'xx' }).subject).toMatch(/verify your identity/);
  });

  it('refuses links that are not https (http only for localhost)', () => {
    expect(() => renderVerificationEmail({ ...base, link: 'javascript:alert(1)' })).toThrow();
    expect(() => renderVerificationEmail({ ...base, link: 'http://verify.example.com/v/x' })).toThrow();
    expect(renderVerificationEmail({ ...base, link: 'http://localhost:3000/v/x' }).html).toContain(
      'http://localhost:3000/v/x',
    );
  });
});
