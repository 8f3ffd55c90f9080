// The ServiceNow stand-in as the agent sees it: sign in, open a ticket, click the verification link.
import type { Page } from 'playwright-core';

export class TicketPage {
  constructor(
    readonly page: Page,
    private readonly instanceUrl: string,
  ) {}

  async signIn(userName: string, password: string) {
    await this.page.goto(`${this.instanceUrl}/login.do`);
    await this.page.getByLabel('User name').fill(userName);
    await this.page.getByLabel('Password').fill(password);
    await Promise.all([this.page.waitForLoadState(), this.page.getByLabel('Password').press('Enter')]);
  }

  async open(sysId: string) {
    await this.page.goto(`${this.instanceUrl}/incident.do?sys_id=${sysId}`);
  }

  sendLink() {
    return this.page.getByRole('link', { name: 'imper.ai - Send Verification link' });
  }

  async clickSendLink() {
    await Promise.all([this.page.waitForURL(/\/agent$/), this.sendLink().click()]);
  }

  verificationField() {
    return this.page.locator('#verification-heading').locator('..');
  }
}
