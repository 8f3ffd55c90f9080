// The app's server modules are shipped to the instance one sys_module each, so they cannot import the contract's
// names from shared/ (a relative import would point outside the app on the instance). They repeat them in
// src/server/constants.ts; this test keeps both copies equal.
import * as shared from '../../../shared/src/enums';
import * as app from '../../src/server/constants';

describe('contract names in the app match shared/ (CONTRACTS.md)', () => {
  it('ticket columns, statuses, risk levels, actions and action statuses', () => {
    expect(app.COLUMNS).toEqual(shared.TICKET_COLUMNS);
    expect(app.TICKET_STATUSES).toEqual(shared.TICKET_STATUSES);
    expect(app.RISK_LEVELS).toEqual(shared.RISK_LEVELS);
    expect(app.ACTIONS).toEqual(shared.ACTIONS);
    expect(app.ACTION_STATUSES).toEqual(shared.ACTION_STATUSES);
  });

  it('launch token audience and maximum lifetime', () => {
    expect(app.LAUNCH_AUDIENCE).toBe(shared.LAUNCH_AUDIENCE);
    expect(app.LAUNCH_MAX_LIFETIME_SECONDS).toBe(shared.LAUNCH_MAX_LIFETIME_SECONDS);
    expect(app.LAUNCH_DEFAULT_LIFETIME_SECONDS).toBeLessThanOrEqual(shared.LAUNCH_MAX_LIFETIME_SECONDS);
  });
});
