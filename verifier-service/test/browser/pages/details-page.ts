// The agent's details page for one verification (/console/verifications/:id), reached from the ticket's link.
import type { Locator, Page } from 'playwright-core';

export class DetailsPage {
  constructor(readonly page: Page) {}

  heading(): Locator {
    return this.page.getByRole('heading', { level: 1 });
  }
  ticketCard(): Locator {
    return this.page.locator('section.ticket');
  }
  fact(
    name:
      | 'subject'
      | 'requester'
      | 'status'
      | 'risk'
      | 'recommendation'
      | 'destination'
      | 'initiated-by'
      | 'created'
      | 'started'
      | 'completed',
  ): Locator {
    return this.page.locator(`[data-row="${name}"] dd`);
  }
  events(): Locator {
    return this.page.locator('ol.events li[data-event]');
  }
  event(kind: string): Locator {
    return this.page.locator(`ol.events li[data-event="${kind}"]`);
  }
}
