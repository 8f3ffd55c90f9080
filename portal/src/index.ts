import { join } from 'node:path';

export * from './pages';
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
export const ASSETS_DIR = join(__dirname, '..', 'assets');
export const BUILD_DIR = join(__dirname, '..', 'dist');
