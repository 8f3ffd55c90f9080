import { Role } from '@servicenow/sdk/core';

export const agentRole = Role({
  name: 'x_imper_verify.agent',
  description:
    'Helpdesk agent: may start imper.ai verifications (link and UI action) and read the category policy.',
});
