import { Role } from '@servicenow/sdk/core';

export const integrationRole = Role({
  name: 'x_imper_verify.integration',
  description:
    'The imper.ai service user: calls the imper.ai REST API, reads tickets and writes only the x_imper_verify_* columns, work notes and resolution. Grant to one dedicated integration user only.',
});
