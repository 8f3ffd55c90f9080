import { defineRule } from './base';

/** S10: a phone or email changed shortly before a verification is how a SIM swap or an account takeover looks.
 * SMS is a restricted channel (NIST 800-63B 5.1.3.3), so a recent phone change on an SMS link is stronger and keeps
 * the result from Verified. */
export const contactChangedRecently = defineRule({
  id: 'contact-changed-recently',
  category: 'persona',
  weight: 3,
  evaluate: (ctx, { weight, policy }) => {
    const { channel, phoneChangedDaysAgo, emailChangedDaysAgo, contactHistoryKnown } = ctx.request;
    const what = channel === 'sms' ? 'phone number' : 'email address';
    // An unreadable history is not a clean one: a SIM swap would look exactly like this (missing data).
    if (!contactHistoryKnown)
      return {
        points: 1,
        missingData: true,
        explanation: `The directory's change history could not be read, so a recent change of the requester's ${what} cannot be ruled out.`,
      };
    const days = channel === 'sms' ? phoneChangedDaysAgo : emailChangedDaysAgo;
    const limit = policy.context.recentContactChangeDays;
    if (days === null || days >= limit) return null;
    return {
      points: channel === 'sms' ? weight : (weight * 2) / 3,
      ...(channel === 'sms' ? { floor: 'medium' as const } : {}),
      explanation: `The requester's ${what} on file changed ${days} day${days === 1 ? '' : 's'} ago (within ${limit} days) and the link went by ${channel === 'sms' ? 'SMS' : 'email'}.`,
    };
  },
});
