export * from './pages';
export { esc, page } from './html';
import { join } from 'node:path';
/** Folder of static assets the service serves at /assets. */
export const ASSETS_DIR = join(__dirname, '..', 'assets');
