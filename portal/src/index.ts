import { dirname, join } from 'node:path';

export * from './pages';
export * from './console';
export { esc, page, translator } from './html';
export {
  pickLocale,
  isMessageKey,
  text as messageText,
  LOCALES,
  MESSAGES,
  type Locale,
  type MessageKey,
} from './i18n';
export { timeline } from './status';

/** Folders of static assets the service serves at /assets: the hand-written ones, then the client build
 * (`npm run build -w portal` writes dist/: the bundles and a copy of the stylesheet). */
// Found through the package itself, so the paths hold from the sources (tsx, jest) and from the service's
// compiled bundle alike (verifier-service/dist, where this file's own __dirname is the bundle's).
const PORTAL_ROOT = dirname(require.resolve('@imper/portal/package.json'));
export const ASSETS_DIR = join(PORTAL_ROOT, 'assets');
export const BUILD_DIR = join(PORTAL_ROOT, 'dist');
export { barChart, lineChart, stackedBar, dataTable, niceMax } from './charts';
export {
  auditLogBody,
  chainResult,
  dashboardBody,
  type AuditPageData,
  type AuditRow,
  type ChainResult,
  type DashboardData,
} from './console-reports';
export * from './console-verifications';
export * from './console-settings';
export * from './settings-risk';
export * from './settings-servicenow';
export * from './settings-providers';
export * from './settings-dead-letters';
export * from './settings-api-keys';
export * from './settings-users';
