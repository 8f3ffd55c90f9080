import type { AgentTicketView } from '@imper/shared';
import { agentPage, devMessagesPage, errorPage, esc, landingPage, resultPage } from '../src';

const view: AgentTicketView = {
  ticket: { table: 'incident', sysId: 'a'.repeat(32), number: 'INC0010001', subject: '<img src=x onerror=alert(1)>', category: 'password_reset' },
  requester: { name: 'Abel Tuter', userName: 'abel.tuter' },
  agent: { name: 'Beth Anglin', userName: 'beth.anglin' },
  contacts: [{ key: 'mobile_phone', channel: 'sms', masked: '+•••••••0143', label: 'Mobile on file' }],
  csrf: 'csrf-value',
};

const allPages = () => [
  agentPage(view),
  agentPage({ ...view, verification: { id: 'VRF-7Q2K9M', state: 'sent', channel: 'sms', destinationMasked: '+•••••••0143', destinationOnFile: false, linkExpiresAt: new Date().toISOString(), createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() } }),
  landingPage({ helpdeskName: 'Acme "IT"', ticketNumber: 'INC0010001', agentName: 'Beth', requesterName: 'Abel', expiresAt: new Date(), token: 't'.repeat(43), csrf: 'c' }),
  resultPage('passed', 'Acme'),
  resultPage('failed', 'Acme'),
  errorPage('This link has expired', 'Ask your helpdesk agent to send you a new one.'),
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
      expect(html).not.toMatch(/<script|<[^>]*\s(style|on[a-z]+)=/i);
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

  it('show the agent a note when the destination is not on file, and keep the page fresh while active', () => {
    const html = allPages()[1]!;
    expect(html).toContain('(not on file)');
    expect(html).toContain('http-equiv="refresh"');
    expect(html).toContain('Resend link');
  });
});
