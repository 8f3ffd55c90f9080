// The ordered list of migrations. A static list (rather than a folder scan) works the same under tsx, jest and
// a compiled build. Names are timestamps; add new ones at the end.
import type { Migration } from 'kysely';
import * as initial from './20261123T1500_initial';
import * as workerHeartbeats from './20261123T1610_worker_heartbeats';
import * as writebackHorizon from './20261201T1100_writeback_horizon';
import * as linkFetchedAt from './20261201T1110_link_fetched_at';
import * as assuranceInputs from './20261201T1200_assurance_inputs';
import * as challenge from './20261201T1400_challenge';
import * as actions from './20261201T1500_actions';
import * as actionReports from './20261201T1510_action_reports';
import * as directStart from './20261201T1600_direct_start';
import * as consoleUsers from './20261201T1700_console_users';
import * as consoleList from './20261201T1710_console_list';
import * as consoleNameSearch from './20261201T1800_console_name_search';
import * as riskThresholds from './20261201T1810_risk_thresholds';
import * as tenantConsoleCredentials from './20261201T1820_tenant_console_credentials';
import * as outboxConsole from './20261201T1830_outbox_console';

export const migrations: Record<string, Migration> = {
  '20261123T1500_initial': initial,
  '20261123T1610_worker_heartbeats': workerHeartbeats,
  '20261201T1100_writeback_horizon': writebackHorizon,
  '20261201T1110_link_fetched_at': linkFetchedAt,
  '20261201T1200_assurance_inputs': assuranceInputs,
  '20261201T1400_challenge': challenge,
  '20261201T1500_actions': actions,
  '20261201T1510_action_reports': actionReports,
  '20261201T1600_direct_start': directStart,
  '20261201T1700_console_users': consoleUsers,
  '20261201T1710_console_list': consoleList,
  '20261201T1800_console_name_search': consoleNameSearch,
  '20261201T1810_risk_thresholds': riskThresholds,
  '20261201T1820_tenant_console_credentials': tenantConsoleCredentials,
  '20261201T1830_outbox_console': outboxConsole,
};
