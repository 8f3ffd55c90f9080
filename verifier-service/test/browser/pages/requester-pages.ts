// The requester's side: the development message view (where the link arrives), the landing page, the question
// pages (CONTRACTS.md "Requester challenge pages"), the result, and the pages that say what went wrong.
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
  /** Presses Start and waits for the next page: the first question (or the result, when decided at once). */
  async start() {
    await Promise.all([this.page.waitForURL(AFTER_START), this.startButton().click()]);
  }

  questionForm(): Locator {
    return this.page.locator('form[data-step="question"][data-question-kind]');
  }
  continueButton(): Locator {
    return this.questionForm().getByRole('button');
  }
  /** The question on the page (kind, legend, the choices' labels), or null when the page shows none. */
  async question(): Promise<QuestionOnPage | null> {
    if (!/\/v\/challenge$/.test(new URL(this.page.url()).pathname)) return null;
    if ((await this.questionForm().count()) === 0) return null;
    const form = this.questionForm();
    return {
      kind: (await form.getAttribute('data-question-kind')) ?? '',
      legend: ((await form.locator('legend').textContent()) ?? '').trim(),
      choices: (await form.locator('.choice label').allTextContents()).map((c) => c.trim()),
    };
  }
  /** Picks the choice labelled `text` (null: none) and presses Continue, waiting for the next page. */
  async answer(text: string | null) {
    if (text !== null) await this.questionForm().getByRole('radio', { name: text, exact: true }).check();
    await Promise.all([this.page.waitForNavigation(), this.continueButton().click()]);
  }
  /** The same with the keyboard alone: Tab into the choices, arrows to the answer, Space, Tab to Continue, Enter. */
  async answerWithKeyboard(text: string) {
    const focused = () =>
      this.page.evaluate(() => {
        const el = document.activeElement as HTMLInputElement | null;
        return {
          radio: el?.type === 'radio',
          submit: el?.getAttribute('type') === 'submit',
          label: el?.id ? (document.querySelector(`label[for="${el.id}"]`)?.textContent ?? '') : '',
          outline: el ? getComputedStyle(el).outlineStyle : 'none',
        };
      });
    for (let i = 0; i < 20 && !(await focused()).radio; i++) await this.page.keyboard.press('Tab');
    for (let i = 0; i < 20 && (await focused()).label.trim() !== text; i++)
      await this.page.keyboard.press('ArrowDown');
    const onChoice = await focused();
    if (onChoice.label.trim() !== text) throw new Error(`no choice "${text}" reached with the arrow keys`);
    await this.page.keyboard.press('Space');
    for (let i = 0; i < 20 && !(await focused()).submit; i++) await this.page.keyboard.press('Tab');
    const onSubmit = await focused();
    if (!onSubmit.submit) throw new Error('Continue not reached with Tab');
    await Promise.all([this.page.waitForNavigation(), this.page.keyboard.press('Enter')]);
    return { choiceOutline: onChoice.outline, submitOutline: onSubmit.outline };
  }
  /**
   * Answers every question the service asks with `pick` (the choice's label), calling `each` on every question page
   * first (an axe scan, a screenshot, moving the app's clock); returns the questions seen, ending on the page after
   * the last (the result, or the wait for the manager).
   */
  async answerAll(
    pick: (q: QuestionOnPage) => string | null,
    o: {
      each?: (q: QuestionOnPage, i: number) => Promise<void>;
      keyboard?: boolean;
    } = {},
  ): Promise<QuestionOnPage[]> {
    const asked: QuestionOnPage[] = [];
    for (let i = 0; i < 12; i++) {
      const q = await this.question();
      if (!q) return asked;
      asked.push(q);
      await o.each?.(q, i);
      const text = pick(q);
      if (o.keyboard && text !== null) await this.answerWithKeyboard(text);
      else await this.answer(text);
    }
    throw new Error('the challenge did not end after 12 pages');
  }
}

/** Where Start leads: the questions, or the result when the verification is decided at once. */
const AFTER_START = /\/v\/(challenge|result)$/;

export interface QuestionOnPage {
  kind: string;
  legend: string;
  choices: string[];
}

/** The result page's headings (English and French), whatever the outcome. */
export const RESULT_TITLES = [
  'You are verified',
  'We could not verify you',
  'We could not finish verifying you',
  'This verification took too long',
  'Votre identité est vérifiée',
  'Nous n’avons pas pu vous vérifier',
  'Nous n’avons pas pu terminer votre vérification',
  'Cette vérification a pris trop de temps',
];
