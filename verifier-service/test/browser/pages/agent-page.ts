// The agent's send page (portal): ticket header, destination choice, Send, then the live status view.
import type { Locator, Page } from 'playwright-core';

export class AgentPage {
  constructor(readonly page: Page) {}

  ticketCard(): Locator {
    return this.page.locator('section.ticket');
  }
  contact(name: RegExp | string): Locator {
    return this.page.getByRole('radio', { name });
  }
  typedDestination(): Locator {
    return this.page.getByLabel(/Email address or mobile number/);
  }
  channel(name: 'SMS' | 'Email'): Locator {
    return this.page.getByRole('group', { name: 'Channel' }).getByRole('radio', { name });
  }
  sendButton(): Locator {
    return this.page.getByRole('button', { name: 'Send', exact: true });
  }
  sendForm(): Locator {
    return this.page.locator('#send');
  }
  verification(): Locator {
    return this.page.locator('#verification');
  }
  state(): Locator {
    return this.verification().locator('[data-field="state"]');
  }
  step(key: string): Locator {
    return this.verification().locator(`.timeline li[data-step="${key}"]`);
  }
  fact(name: 'risk' | 'recommendation' | 'destination' | 'attention' | 'expires'): Locator {
    return this.verification().locator(`[data-row="${name}"] dd`);
  }
  /** The two-digit code the agent reads to the requester on the phone. */
  callCode(): Locator {
    return this.verification().locator('[data-call-code]');
  }
  resendButton(): Locator {
    return this.page.getByRole('button', { name: 'Resend link' });
  }
  cancelButton(): Locator {
    return this.page.getByRole('button', { name: 'Cancel verification' });
  }
  networkTrouble(): Locator {
    return this.verification().locator('[data-role="net-trouble"]');
  }
  formError(): Locator {
    return this.page.locator('[data-role="form-error"]');
  }

  async send() {
    await this.sendButton().click();
  }

  /** Marks the document so a test can tell an in-page update from a reload. */
  async markDocument() {
    await this.page.evaluate(() => document.body.setAttribute('data-test-mark', 'same-document'));
  }
  async isSameDocument() {
    return (await this.page.locator('body').getAttribute('data-test-mark')) === 'same-document';
  }
}
