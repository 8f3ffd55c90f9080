// Question prompts are message keys with parameters; the text a person reads lives in the portal's message files
// (STYLE.md "User text in one home"). Until those exist, the English texts are here.

import type { QuestionKind } from './facts';

export const PROMPT_KEYS = {
  manager: 'challenge.question.manager',
  department: 'challenge.question.department',
  location: 'challenge.question.location',
  group: 'challenge.question.group',
  asset: 'challenge.question.asset',
  recent_ticket: 'challenge.question.recent_ticket',
  call_code: 'challenge.question.call_code',
} as const satisfies Record<QuestionKind, string>;

export type PromptKey = (typeof PROMPT_KEYS)[QuestionKind];

export interface Prompt {
  key: PromptKey;
  /** Values for `{name}` placeholders in the message. */
  params: Record<string, string>;
}

/** The choice that is right when none of the others is; its text is fixed by CONTRACTS.md. */
export const NONE_OF_THESE = 'None of these';

export const CHALLENGE_MESSAGES_EN: Record<PromptKey, string> = {
  'challenge.question.manager': 'Who is your manager?',
  'challenge.question.department': 'Which department do you work in?',
  'challenge.question.location': 'Which office or site are you based at?',
  'challenge.question.group': 'Which of these groups are you a member of?',
  'challenge.question.asset': 'Which of these devices is assigned to you?',
  'challenge.question.recent_ticket': 'Which of these did you ask IT for help with in the last {days} days?',
  'challenge.question.call_code': 'Which code did the service desk agent read to you?',
};

/** The English text of a prompt, placeholders filled (unknown ones left as they are). */
export function promptText(
  prompt: Prompt,
  messages: Record<PromptKey, string> = CHALLENGE_MESSAGES_EN,
): string {
  return messages[prompt.key].replace(/\{(\w+)\}/g, (m, name: string) => prompt.params[name] ?? m);
}
