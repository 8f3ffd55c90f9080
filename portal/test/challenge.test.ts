// The requester's challenge pages and the manager's confirmation pages keep the markup contract the service and the
// browser tests rely on (CONTRACTS.md "Requester challenge pages"), escape what the directory supplies, and say
// everything in the page's language; the agent's page shows the call code (number matching).
import type { AgentTicketView, AgentVerificationView } from '@imper/shared';
import {
  agentPage,
  attestationDonePage,
  attestationPage,
  errorPage,
  landingPage,
  questionPage,
  resultPage,
  waitingPage,
  type QuestionPageData,
} from '../src';
import { landingData } from './fixtures';

const HOSTILE = `"><img src=x onerror=alert(1)> & 'Ops'`;
const question = (over: Partial<QuestionPageData> = {}, kind = 'manager'): QuestionPageData => ({
  helpdeskName: 'Acme IT',
  csrf: 'csrf-1',
  action: '/v/challenge',
  question: {
    id: 'q_123',
    kind,
    prompt: { key: `challenge.question.${kind}`, params: {} },
    choices: [
      { id: 'c1', text: 'Beth Anglin' },
      { id: 'c2', text: HOSTILE },
      { id: 'c3', text: 'None of these' },
    ],
    timeLimitSeconds: 60,
  },
  position: { n: 2, total: 3 },
  ...over,
});

/** The one form matching `selector`-like attribute text, with its inner HTML. */
function form(html: string, attr: string): { open: string; inner: string } {
  const forms = [...html.matchAll(/(<form\b[^>]*>)([\s\S]*?)<\/form>/g)].filter((m) => m[1]!.includes(attr));
  expect(forms).toHaveLength(1);
  return { open: forms[0]![1]!, inner: forms[0]![2]! };
}
const hidden = (inner: string, name: string) =>
  new RegExp(`<input type="hidden" name="${name}" value="([^"]*)">`).exec(inner)?.[1];
const submits = (inner: string) => inner.match(/<button\b[^>]*type="submit"/g) ?? [];
const unescape = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

describe('question page', () => {
  it('holds form[data-step="question"][data-question-kind] posting to the action, with the hidden fields', () => {
    const { open, inner } = form(questionPage(question()), 'data-step="question"');
    expect(open).toContain('method="post"');
    expect(open).toContain('action="/v/challenge"');
    expect(open).toContain('data-question-kind="manager"');
    expect(hidden(inner, 'csrf')).toBe('csrf-1');
    expect(hidden(inner, 'question')).toBe('q_123');
    expect(hidden(inner, 'changes')).toBe('0');
    expect(submits(inner)).toHaveLength(1);
  });

  it('asks the question as the legend of a fieldset, one radio per choice labelled with exactly its text', () => {
    const { inner } = form(questionPage(question()), 'data-step="question"');
    expect(inner.match(/<fieldset\b/g)).toHaveLength(1);
    expect(/<legend>([^<]*)<\/legend>/.exec(inner)?.[1]).toBe('Who is your manager?');
    const radios = [
      ...inner.matchAll(/<input type="radio" name="choice" value="([^"]*)" id="([^"]+)"[^>]*>/g),
    ];
    expect(radios.map((r) => r[1])).toEqual(['c1', 'c2', 'c3']);
    const labels = radios.map((r) => new RegExp(`<label for="${r[2]}">([^<]*)</label>`).exec(inner)?.[1]);
    expect(labels.map((l) => unescape(l!))).toEqual(['Beth Anglin', HOSTILE, 'None of these']);
    expect(new Set(radios.map((r) => r[2])).size).toBe(3);
  });

  it('escapes hostile choice text, ids and prompt parameters', () => {
    const html = questionPage(
      question({
        question: {
          id: '"q',
          kind: 'recent_ticket"><b>',
          prompt: { key: 'challenge.question.recent_ticket', params: { days: '<i>30</i>' } },
          choices: [{ id: '"><script>', text: '<script>alert(1)</script>' }],
          timeLimitSeconds: 30,
        },
      }),
    );
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).not.toContain('<i>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;</label>');
    expect(html).toContain('in the last &lt;i&gt;30&lt;/i&gt; days?');
  });

  it('words each kind of question from the message files, in English and French, generic when unknown', () => {
    const legend = (kind: string, key: string, locale: 'en' | 'fr' = 'en', params = {}) =>
      /<legend>([^<]*)<\/legend>/.exec(
        questionPage(
          question({ question: { ...question().question, kind, prompt: { key, params } } }),
          locale,
        ),
      )?.[1];
    expect(legend('department', 'challenge.question.department')).toBe('Which department do you work in?');
    expect(legend('location', 'challenge.question.location')).toBe('Which office or site are you based at?');
    expect(legend('group', 'challenge.question.group')).toBe('Which of these groups are you a member of?');
    expect(legend('asset', 'challenge.question.asset')).toBe('Which of these devices is assigned to you?');
    expect(legend('recent_ticket', 'challenge.question.recent_ticket', 'en', { days: '30' })).toBe(
      'Which of these did you ask IT for help with in the last 30 days?',
    );
    expect(legend('call_code', 'challenge.question.call_code')).toBe(
      'Which code did the service desk agent read to you?',
    );
    expect(legend('manager', 'manager')).toBe('Who is your manager?');
    expect(legend('manager', 'challenge.question.manager', 'fr')).toBe('Qui est votre responsable ?');
    expect(legend('mystery', 'challenge.question.mystery')).toBe('Choose the answer that is true for you');
    expect(legend('mystery', 'landing.start')).toBe('Choose the answer that is true for you');
  });

  it('shows the position, the time hint, the None-of-these note and the step bar at "questions"', () => {
    const html = questionPage(question());
    expect(html).toContain('Question 2 of 3');
    expect(html).toContain('<title>Question 2 of 3 · ');
    expect(html).toContain('You have about 60 seconds to answer.');
    expect(html).toMatch(/data-role="countdown" aria-live="polite" data-seconds="60"/);
    expect(html).toContain('None of these: that is a valid answer');
    expect(html).toMatch(/<li data-step="questions" data-status="current" aria-current="step">/);
    expect(html).toContain('<script src="/assets/requester.js" defer></script>');
    expect(html).not.toContain('role="alert"');
    expect(html).not.toContain('q-hint');
  });

  it('links the refusal to the fieldset (role=alert, aria-describedby) when no choice was sent', () => {
    const html = questionPage(question({ error: 'CHOICE_REQUIRED' }));
    expect(html).toContain('<p class="form-error" id="q-error" role="alert">Choose one of the answers');
    expect(/<fieldset aria-describedby="([^"]+)">/.exec(html)?.[1]?.split(' ')).toContain('q-error');
    expect(html).toContain('<title>Error: question 2 of 3 · ');
  });

  it('explains the call code question, described by its hint', () => {
    const html = questionPage(question({}, 'call_code'));
    expect(html).toContain('data-question-kind="call_code"');
    expect(html).toContain(
      'The agent helping you on the phone read you a two-digit code. If no one read you a code, choose None of these.',
    );
    expect(/<fieldset aria-describedby="([^"]+)">/.exec(html)?.[1]?.split(' ')).toContain('q-hint');
  });
});

describe('start form', () => {
  it('carries an empty hidden "signals" field for the page script to fill', () => {
    const html = landingPage(landingData());
    const { inner } = form(html, 'id="start-form"');
    expect(hidden(inner, 'signals')).toBe('');
    expect(hidden(inner, 'csrf')).toBe('c');
  });
});

describe('result page', () => {
  it.each([
    ['passed', 'You are verified'],
    ['failed', 'We could not verify you'],
    ['incomplete', 'We could not finish verifying you'],
    ['timed_out', 'This verification took too long'],
    [null, 'We could not verify you'],
    ['something_else', 'We could not verify you'],
  ])('says what %s means and what to do next', (outcome, title) => {
    const html = resultPage(outcome, 'Acme IT');
    expect(html).toContain(`<h1>${title}</h1>`);
    expect(html).not.toMatch(/score|signal/i);
  });

  it('tells an incomplete requester they will be verified another way, a timed-out one to ask for a new link', () => {
    expect(resultPage('incomplete', 'Acme IT')).toContain(
      'We could not ask enough questions to confirm it is you',
    );
    expect(resultPage('incomplete', 'Acme IT')).toContain('Your helpdesk will verify you another way');
    expect(resultPage('timed_out', 'Acme IT')).toContain('Ask your helpdesk for a new link.');
    expect(resultPage('timed_out', 'Acme IT', 'fr')).toContain('Demandez un nouveau lien à votre support.');
    expect(resultPage('incomplete', 'Acme IT', 'en', ['start', 'checks', 'questions', 'result'])).toMatch(
      /<li data-step="result" data-status="current"/,
    );
  });
});

describe('waiting page', () => {
  it('says the manager was asked, polls the status URL from its script and offers "Check again" without a meta refresh', () => {
    const html = waitingPage({
      helpdeskName: 'Acme IT',
      statusUrl: '/v/wait/status?x="1"',
      managerName: 'Fred <Luddy>',
    });
    expect(html).toContain(
      'We’ve asked your manager, Fred &lt;Luddy&gt;, to confirm this request. Keep this page open',
    );
    expect(html).toContain('data-status-url="/v/wait/status?x=&quot;1&quot;"');
    expect(html).toContain('<a href="" data-role="check-again">Check again</a>');
    expect(html).toContain('<script src="/assets/requester.js" defer></script>');
    expect(html).not.toContain('http-equiv');
    expect(html).toMatch(/<li data-step="approval" data-status="current"/);
    expect(waitingPage({ helpdeskName: 'Acme', statusUrl: '/s' })).toContain(
      'We’ve asked your manager to confirm this request.',
    );
  });
});

describe('manager attestation', () => {
  const data = {
    helpdeskName: 'Acme IT',
    requesterName: 'Abel <Tuter>',
    ticketNumber: 'INC0010001',
    ticketSubject: HOSTILE,
    agentName: 'Beth Anglin',
    reason: 'typed_destination',
    csrf: 'csrf-2',
    action: '/attest/abc',
    expiresAt: new Date('2030-01-02T03:04:00Z'),
  };

  it('says who asks and why, and posts approve or deny with one button each', () => {
    const html = attestationPage(data);
    expect(html).toContain(
      '<strong>Abel &lt;Tuter&gt;</strong> asked <strong>Acme IT</strong> for help on ticket',
    );
    expect(html).toContain('<q>&quot;&gt;&lt;img src=x onerror=alert(1)&gt; &amp; &#39;Ops&#39;</q>');
    expect(html).not.toContain('<img');
    expect(html).toContain('not on file');
    expect(html).toContain('Approve only if you know this request is genuine');
    expect(html).toContain('datetime="2030-01-02T03:04:00.000Z"');
    const { open, inner } = form(html, 'data-step="attestation"');
    expect(open).toContain('method="post"');
    expect(open).toContain('action="/attest/abc"');
    expect(hidden(inner, 'csrf')).toBe('csrf-2');
    const buttons = [...inner.matchAll(/<button type="submit" name="decision" value="(\w+)"([^>]*)>/g)];
    expect(buttons.map((b) => b[1])).toEqual(['approve', 'deny']);
    expect(buttons[1]![2]).toContain('class="secondary"');
    expect(submits(inner)).toHaveLength(2);
    expect(inner).not.toMatch(/tabindex="-1"|disabled/);
  });

  it('words each reason, with a generic one for any other', () => {
    expect(attestationPage({ ...data, reason: 'medium_risk' })).toContain('found something unusual');
    expect(attestationPage({ ...data, reason: 'other' })).toContain('needs a second confirmation');
    expect(attestationPage(data, 'fr')).toContain('N’approuvez que si vous savez');
  });

  it('confirms the decision', () => {
    expect(attestationDonePage('approved', 'Acme IT')).toContain('Acme IT can continue with the request.');
    expect(attestationDonePage('denied', 'Acme IT')).toContain('You denied the request');
    expect(attestationDonePage('denied', 'Acme IT', 'fr')).toContain('Vous avez refusé la demande');
  });
});

describe('error pages for the challenge and attestation', () => {
  it.each([
    ['CHALLENGE_NOT_ACTIVE', 'ask your helpdesk for a new link'],
    ['TOO_MANY_ATTEMPTS', 'Contact your helpdesk'],
    ['ACCOUNT_LOCKED_FOR_VERIFICATION', 'by another channel'],
    ['ATTESTATION_NOT_FOUND', 'This confirmation link is not valid'],
    ['ATTESTATION_USED', 'This request was already answered'],
    ['ATTESTATION_EXPIRED', 'This confirmation request has expired'],
  ])('%s has its own page', (code, words) => {
    const html = errorPage(code);
    expect(html).toContain(words);
    expect(html).not.toContain('Something went wrong');
  });
});

describe('agent page call code', () => {
  const view: AgentTicketView = {
    ticket: {
      table: 'incident',
      sysId: 'a'.repeat(32),
      number: 'INC1',
      subject: 's',
      category: 'c',
      url: 'https://x',
    },
    requester: { name: 'Abel', userName: 'abel' },
    agent: { name: 'Beth', userName: 'beth' },
    contacts: [],
    csrf: 'c',
  };
  const verification = (over: Partial<AgentVerificationView>): AgentVerificationView => ({
    id: 'VRF-7Q2K9M',
    state: 'in_progress',
    channel: 'sms',
    destinationMasked: 'x',
    destinationOnFile: true,
    linkExpiresAt: new Date().toISOString(),
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    ...over,
  });
  const box = (html: string) => /<div class="call-code"[^>]*>[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';

  it('shows the code alone in [data-call-code] while the verification is active, labelled outside it', () => {
    const html = box(agentPage({ ...view, verification: verification({ callCode: '47' }) }));
    expect(html).not.toMatch(/^<div[^>]*hidden/);
    expect(/<strong class="code" data-call-code>([^<]*)<\/strong>/.exec(html)?.[1]).toBe('47');
    expect(html).toContain('Read this code to the caller:');
    expect(html).toContain('asked to pick this code');
  });

  it('is hidden and empty without a code, or once the verification is over; escaped always', () => {
    expect(box(agentPage({ ...view, verification: verification({}) }))).toMatch(/^<div[^>]*hidden>/);
    const over = box(agentPage({ ...view, verification: verification({ state: 'passed', callCode: '47' }) }));
    expect(over).toMatch(/^<div[^>]*hidden>/);
    expect(over).toContain('data-call-code></strong>');
    expect(agentPage({ ...view, verification: verification({ callCode: '<b>1' }) })).toContain(
      'data-call-code>&lt;b&gt;1</strong>',
    );
    expect(box(agentPage(view))).toMatch(/^<div[^>]*hidden>/);
  });
});
