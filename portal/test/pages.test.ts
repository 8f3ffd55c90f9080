import type { AgentTicketView } from '@imper/shared';
import {
  agentPage,
  attestationDonePage,
  attestationPage,
  devMessagesPage,
  errorPage,
  esc,
  landingPage,
  MESSAGES,
  pickLocale,
  questionPage,
  resultPage,
  timeline,
  waitingPage,
  actionPage,
  actionResultPage,
  reportDonePage,
  reportPage,
  selfServicePage,
} from '../src';
import { attestationData, questionData } from './fixtures';

const view: AgentTicketView = {
  ticket: {
    table: 'incident',
    sysId: 'a'.repeat(32),
    number: 'INC0010001',
    subject: '<img src=x onerror=alert(1)>',
    category: 'password_reset',
    url: `https://acme.service-now.com/incident.do?sys_id=${'a'.repeat(32)}`,
  },
  requester: { name: 'Abel Tuter', userName: 'abel.tuter' },
  agent: { name: 'Beth Anglin', userName: 'beth.anglin' },
  contacts: [{ key: 'mobile_phone', channel: 'sms', masked: '+•••••••0143', label: 'Mobile on file' }],
  csrf: 'csrf-value',
};

const allPages = () => [
  agentPage(view),
  agentPage({
    ...view,
    verification: {
      id: 'VRF-7Q2K9M',
      state: 'sent',
      channel: 'sms',
      destinationMasked: '+•••••••0143',
      destinationOnFile: false,
      linkExpiresAt: new Date().toISOString(),
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
    },
  }),
  landingPage({
    helpdeskName: 'Acme "IT"',
    ticketNumber: 'INC0010001',
    agentName: 'Beth',
    requesterName: 'Abel',
    expiresAt: new Date(),
    token: 't'.repeat(43),
    csrf: 'c',
  }),
  resultPage('passed', 'Acme'),
  resultPage('failed', 'Acme'),
  resultPage('incomplete', 'Acme'),
  resultPage('timed_out', 'Acme'),
  questionPage(
    questionData({
      question: {
        id: 'q1',
        kind: 'call_code',
        prompt: { key: 'challenge.question.call_code', params: {} },
        choices: [
          { id: 'a', text: '47' },
          { id: 'b', text: 'None of these' },
        ],
        timeLimitSeconds: 45,
      },
      error: 'CHOICE_REQUIRED',
    }),
  ),
  waitingPage({ helpdeskName: 'Acme', statusUrl: '/v/wait/status' }),
  attestationPage(attestationData()),
  attestationDonePage('approved', 'Acme'),
  attestationDonePage('denied', 'Acme'),
  actionPage({
    helpdeskName: 'Acme',
    action: 'password_reset',
    csrf: 'c',
    actionUrl: '/v/action',
    until: new Date(),
    minLength: 15,
    error: { code: 'PASSWORD_REFUSED', message: 'This password was used <recently>.' },
  }),
  actionPage({
    helpdeskName: 'Acme',
    action: 'account_unlock',
    csrf: 'c',
    actionUrl: '/v/action',
    until: new Date(),
    minLength: 15,
  }),
  actionResultPage({ helpdeskName: 'Acme', action: 'password_reset', status: 'completed' }),
  actionResultPage({
    helpdeskName: 'Acme',
    action: 'account_unlock',
    status: 'failed',
    message: 'The directory did not answer.',
  }),
  reportPage({
    helpdeskName: 'Acme',
    ticketNumber: 'INC1',
    action: 'password_reset',
    at: new Date(),
    csrf: 'c',
    actionUrl: '/r/x',
  }),
  reportDonePage({ helpdeskName: 'Acme', locked: true }),
  selfServicePage({
    view: 'form',
    helpdeskName: 'Acme',
    actionUrl: '/self-service',
    csrf: 'c',
    maxLength: 254,
  }),
  selfServicePage({
    view: 'form',
    helpdeskName: 'Acme',
    actionUrl: '/self-service?tenant=acme',
    csrf: 'c',
    maxLength: 254,
    action: 'mfa_reset',
    error: 'IDENTIFIER_TOO_LONG',
  }),
  selfServicePage({ view: 'sent', helpdeskName: 'Acme', formUrl: '/self-service', expiresMinutes: 10 }),
  errorPage('LINK_EXPIRED'),
  errorPage('CHALLENGE_NOT_ACTIVE'),
  errorPage('SOMETHING_ELSE', 'en', 'A <b>specific</b> message'),
  devMessagesPage([]),
];

describe('pages', () => {
  it('escape every interpolated value', () => {
    expect(esc(`<a href="x">'&`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;');
    expect(agentPage(view)).not.toContain('<img src=x');
    expect(agentPage(view)).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('need no inline script or style under a strict CSP, and declare language and viewport', () => {
    for (const html of allPages()) {
      expect(html).not.toMatch(/<[^>]*\s(style|on[a-z]+)=|<style/i);
      // Scripts only as external files from /assets, loaded with defer, with nothing inline.
      for (const tag of html.match(/<script\b[^>]*>[^<]*<\/script>/gi) ?? [])
        expect(tag).toMatch(/^<script src="\/assets\/[a-z]+\.js" defer><\/script>$/);
      expect((html.match(/<script/gi) ?? []).length).toBe(
        (html.match(/<script src="\/assets\//g) ?? []).length,
      );
      expect(html).toContain('<html lang="en">');
      expect(html).toContain('name="viewport"');
    }
  });

  it('label every form control', () => {
    for (const html of allPages()) {
      const ids = [...html.matchAll(/<input[^>]*type="(?:text|radio)"[^>]*id="([^"]+)"/g)].map((m) => m[1]);
      for (const id of ids) expect(html).toContain(`for="${id}"`);
    }
  });

  it('show the agent a note when the destination is not on file, and a live status without any meta refresh', () => {
    const html = allPages()[1]!;
    expect(html).toContain('(not on file)');
    expect(html).not.toContain('http-equiv="refresh"'); // axe meta-refresh; the script polls, no-JS has a link
    expect(html).toContain('href="/agent"');
    expect(html).toContain('Resend link');
    expect(html).toContain('<script src="/assets/agent.js" defer></script>');
    expect(html).toContain('aria-current="step"');
  });

  it('say on every error page what happened and what to do next', () => {
    const expired = errorPage('LINK_EXPIRED');
    expect(expired).toContain('This link has expired');
    expect(expired).toContain('Ask your helpdesk agent to send you a new one.');
    expect(expired).toContain('What to do next');
    expect(errorPage('SOMETHING_ELSE', 'en', 'A <b>specific</b> message')).toContain(
      'A &lt;b&gt;specific&lt;/b&gt; message',
    );
    expect(errorPage('SOMETHING_ELSE', 'fr', 'English only')).not.toContain('English only');
    expect(errorPage('LINK_USED', 'fr')).toContain('Ce lien a déjà été utilisé');
  });
});

describe('languages', () => {
  it('have the same keys and placeholders in every message file', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, value] of Object.entries(MESSAGES.en)) {
      expect({ key, fr: typeof MESSAGES.fr[key as keyof typeof MESSAGES.fr] }).toEqual({ key, fr: 'string' });
      expect({ key, p: placeholders(MESSAGES.fr[key as keyof typeof MESSAGES.fr]) }).toEqual({
        key,
        p: placeholders(value),
      });
    }
    expect(Object.keys(MESSAGES.fr).sort()).toEqual(Object.keys(MESSAGES.en).sort());
  });

  it('pick the language from Accept-Language, by q-value, English by default', () => {
    expect(pickLocale(undefined)).toBe('en');
    expect(pickLocale('fr-CA,fr;q=0.9,en;q=0.8')).toBe('fr');
    expect(pickLocale('de-DE,de;q=0.9,fr;q=0.5,en;q=0.4')).toBe('fr');
    expect(pickLocale('en;q=0.2,fr;q=0.9')).toBe('fr');
    expect(pickLocale('fr;q=0,en')).toBe('en');
    expect(pickLocale('*')).toBe('en');
  });

  it('render the requester pages in French with lang="fr" and dates in a <time datetime>', () => {
    const html = landingPage(
      {
        helpdeskName: 'Acme',
        ticketNumber: 'INC1',
        agentName: 'Beth',
        requesterName: 'Abel',
        expiresAt: new Date('2030-01-02T03:04:00Z'),
        token: 't'.repeat(43),
        csrf: 'c',
      },
      'fr',
    );
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('Vérifiez votre identité');
    expect(html).toContain('datetime="2030-01-02T03:04:00.000Z"');
    expect(resultPage('passed', 'Acme', 'fr')).toContain('Votre identité est vérifiée');
  });
});

describe('agent timeline', () => {
  const base = {
    id: 'VRF-7Q2K9M',
    channel: 'sms' as const,
    destinationMasked: 'x',
    destinationOnFile: true,
    linkExpiresAt: '',
    createdAt: '',
    updatedAt: '',
  };
  const statuses = (v: Parameters<typeof timeline>[0]) =>
    timeline(v)
      .map((s) => `${s.key}:${s.status}`)
      .join(' ');
  it('goes sent → delivered (or failed) → opened → in progress → outcome', () => {
    expect(statuses({ ...base, state: 'sending' })).toBe(
      'sent:current delivered:todo opened:todo in_progress:todo outcome:todo',
    );
    expect(
      statuses({ ...base, state: 'sent', delivery: { status: 'sent', provider: 'dev', updatedAt: '' } }),
    ).toBe('sent:done delivered:current opened:todo in_progress:todo outcome:todo');
    expect(
      statuses({ ...base, state: 'sent', delivery: { status: 'failed', provider: 'dev', updatedAt: '' } }),
    ).toBe('sent:done delivered:failed opened:current in_progress:todo outcome:todo');
    expect(
      statuses({
        ...base,
        state: 'sent',
        linkOpenedAt: 'x',
        delivery: { status: 'sent', provider: 'dev', updatedAt: '' },
      }),
    ).toBe('sent:done delivered:done opened:done in_progress:current outcome:todo');
    expect(statuses({ ...base, state: 'in_progress' })).toBe(
      'sent:done delivered:done opened:done in_progress:done outcome:current',
    );
    expect(statuses({ ...base, state: 'passed', riskLevel: 'verified' })).toBe(
      'sent:done delivered:done opened:done in_progress:done outcome:done',
    );
    expect(statuses({ ...base, state: 'canceled' })).toBe(
      'sent:todo delivered:todo opened:todo in_progress:todo outcome:done',
    );
  });
});
