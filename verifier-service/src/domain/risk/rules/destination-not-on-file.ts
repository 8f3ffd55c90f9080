import { defineRule } from './base';

export const DESTINATION_NOT_ON_FILE = 'destination-not-on-file';

/** S9: a destination the agent typed that is not one of the requester's contacts on file. Possession of it proves
 * nothing about the requester, so it can never reach Verified unless the manager attests (see manager-approved). */
export const destinationNotOnFile = defineRule({
  id: DESTINATION_NOT_ON_FILE,
  category: 'persona',
  weight: 4,
  evaluate: (ctx, { weight }) =>
    ctx.request.destinationOnFile
      ? null
      : {
          points: weight,
          floor: 'medium',
          explanation: `The link went to a destination that is not one of the requester's contacts on file${
            ctx.request.destinationTypedByAgent ? ' (typed by the agent)' : ''
          }.`,
        },
});
