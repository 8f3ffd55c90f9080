// The requester's side: the development message view (where the link arrives), the landing page, the result,
// and the pages that say what went wrong.
import type { Locator, Page } from 'playwright-core';

export class DevMessagesPage {
  constructor(readonly page: Page) {}
  async open() {
    await this.page.goto('/dev/messages');
  }
  /** Follows the newest message's verification link of the given channel. */
  async openNewestLink(channel: 'sms' | 'email') {
    await Promise.all([
      this.page.waitForURL(/\/v\/[A-Za-z0-9_-]{43}$/),
      this.page.locator(`li.message[data-channel="${channel}"]`).first().getByRole('link').click(),
    ]);
  }
}

export class RequesterPage {
  constructor(readonly page: Page) {}
  heading(): Locator {
    return this.page.getByRole('heading', { level: 1 });
  }
  startButton(): Locator {
    return this.page.getByRole('button', { name: /^(Start|Commencer)$/ });
  }
  progress(): Locator {
    return this.page.locator('[data-role="progress"]');
  }
  currentStep(): Locator {
    return this.page.locator('.steps li[aria-current="step"] .step-label');
  }
  networkTrouble(): Locator {
    return this.page.locator('[data-role="net-trouble"]');
  }
  retryButton(): Locator {
    return this.networkTrouble().getByRole('button');
  }
  whatNext(): Locator {
    return this.page.locator('.problem .next');
  }
  async start() {
    await Promise.all([this.page.waitForURL(/\/v\/result$/), this.startButton().click()]);
  }
}
