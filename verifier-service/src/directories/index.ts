// Which directory a tenant's accounts live in (TENANTS[].directory, checked at boot): its ServiceNow `sys_user`
// by default (the demo's), or OpenLDAP, Active Directory, Microsoft Entra ID or Okta. One connector per tenant,
// built on first use.
import { Value } from '@sinclair/typebox/value';
import type { ServiceNowClient } from '../clients/servicenow/client';
import {
  ActiveDirectoryConfigSchema,
  createActiveDirectory,
  type ActiveDirectoryConfig,
} from './active-directory';
import { createEntraConnector, entraConfigSchema } from './entra';
import { createLdapDirectory, validateLdapConfig, type LdapDirectoryConfig } from './ldap';
import { oktaConfigSchema } from './okta-config';
import { createServiceNowDirectory } from './servicenow';
import type { DirectoryConnector } from './types';

export type DirectoryKind = 'servicenow' | 'ldap' | 'active_directory' | 'entra' | 'okta';
export const DIRECTORY_KINDS: readonly DirectoryKind[] = [
  'servicenow',
  'ldap',
  'active_directory',
  'entra',
  'okta',
];

/** `{ "kind": "ldap", …the connector's own settings }`; absent = ServiceNow. */
export type DirectoryConfig = { kind: DirectoryKind } & Record<string, unknown>;

const withoutKind = ({ kind: _kind, ...rest }: DirectoryConfig) => rest;

/** What is wrong with a tenant's directory settings (empty when nothing): every field named, never a value. */
export function directoryConfigProblems(raw: DirectoryConfig | undefined): string[] {
  if (!raw || raw.kind === 'servicenow') return [];
  try {
    switch (raw.kind) {
      case 'ldap':
        validateLdapConfig(withoutKind(raw));
        return [];
      case 'active_directory':
        return [...Value.Errors(ActiveDirectoryConfigSchema, withoutKind(raw))].map(
          (e) => `Active Directory ${e.path || '/'}: ${e.message}`,
        );
      case 'entra':
        return Value.Check(entraConfigSchema, raw) ? [] : ['Entra ID settings are invalid (see README)'];
      case 'okta':
        return Value.Check(oktaConfigSchema, raw) ? [] : ['Okta settings are invalid (see README)'];
      default:
        return [`unknown directory kind (one of ${DIRECTORY_KINDS.join(', ')})`];
    }
  } catch (err) {
    return [(err as Error).message];
  }
}

export function createDirectory(
  raw: DirectoryConfig | undefined,
  servicenow: ServiceNowClient,
): DirectoryConnector {
  switch (raw?.kind ?? 'servicenow') {
    case 'ldap':
      return createLdapDirectory(withoutKind(raw!) as LdapDirectoryConfig);
    case 'active_directory':
      return createActiveDirectory(withoutKind(raw!) as ActiveDirectoryConfig);
    case 'entra':
      return createEntraConnector(raw);
    case 'okta':
      // Loaded only for a tenant that uses Okta (its SDK takes half a second to load).
      return (require('./okta') as typeof import('./okta')).createOktaConnector(raw);
    default:
      return createServiceNowDirectory(servicenow);
  }
}
