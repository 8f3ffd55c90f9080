// Where this instance and the service live, from system properties.
import { gs } from '@servicenow/glide';
import { API_BASE_PATH, PROPERTIES } from './constants';

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** The instance's base URL without a trailing slash (`iss` of launch tokens). */
export function instanceUrl(): string {
  return trimSlash(gs.getProperty('glide.servlet.uri', '') || '');
}

export function serviceUrl(): string {
  return trimSlash(gs.getProperty(PROPERTIES.serviceUrl, '') || '');
}

/** The launch endpoint the verification field links to (the app's scripted REST route). */
export function launchLinkFor(table: string, sysId: string): string {
  return `${instanceUrl()}${API_BASE_PATH}/launch?table=${encodeURIComponent(table)}&sys_id=${encodeURIComponent(sysId)}`;
}
