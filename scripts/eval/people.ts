// Who takes part: requesters drawn from the stand-in's seeded employees by office country (each scenario its own
// person and its own, freshly opened ticket), their managers, and the client addresses each device presents (a
// distinct one per scenario, so that no "same address" signal links unrelated scenarios).
import { personKnowledge, type PersonKnowledge } from '@imper/dev-instance';
import { HarnessError } from './agent';
import type { Country } from './devices';
import type { EvalEnv } from './env';

export interface Requester {
  sysId: string;
  userName: string;
  name: string;
  email: string;
  mobile: string;
  country: Country;
  manager: { sysId: string; name: string; email: string };
}

/**
 * What callers ask for, one distinct text per scenario. Distinct on purpose: the challenge does not ask about the
 * ticket being verified, but it may offer another caller's ticket with the same text as a decoy, which the employee
 * then picks as theirs (a product finding the README's "Evaluation" section describes); the evaluation measures the
 * rest without that collision.
 */
const SUBJECTS: Array<[string, string]> = [
  'Forgot my password after the holidays',
  'Password expired while travelling',
  'Cannot sign in to the VPN client: password rejected',
  'Password reset needed for Outlook',
  'Locked out after too many sign-in attempts',
  'Account locked after changing my password on the phone',
  'Forgot my Windows password',
  'Password not accepted on the new laptop',
  'Need a password reset before the audit deadline',
  'Account locked out this morning',
  'Password reset: cannot reach the payroll portal',
  'Forgot password, MFA device still works',
  'Locked out of my account after a phishing test',
  'Password change did not sync to email',
  'Reset my password please, I am at the airport',
  'My account is locked and I have a client call',
  'Cannot remember the password I set on Friday',
  'Password reset for the expense system sign-in',
  'Account disabled after failed logins',
  'Password reset after returning from parental leave',
  'Locked out of Teams and email',
  'Forgot my password, new starter second week',
  'Password keeps being rejected by the printer portal',
  'Account locked while on the train',
  'Reset password: keyboard layout changed and now locked out',
  'Password expired during my sick leave',
  'Locked out after a password manager mix-up',
  'Forgot password for the remote desktop',
  'Password reset needed before the board meeting',
  'Account locked after phone update',
  'Need a new password, the old one leaked in a breach notice',
  'Cannot log in after the weekend maintenance',
  'Password reset for the shared drive sign-in',
  'Locked out of the HR portal',
  'Forgot my password on the first day back',
  'Account locked: caps lock was on',
  'Password reset from home, laptop at the office',
  'Locked out after mistyping the new password',
  'Password reset request for the CRM sign-in',
  'Account locked, cannot approve invoices',
  'Forgot the password of my work account on the tablet',
  'Password reset for single sign-on',
  'Locked out after the password policy change',
  'Cannot sign in: password no longer valid',
  'Password reset while working from the Berlin office',
  'Account locked during the quarterly close',
  'Forgot password after switching phones',
  'Password reset, second attempt today',
].map((text, i) => [i % 3 === 2 ? 'account_unlock' : 'password_reset', text]);

export interface Ticket {
  sys_id: string;
  number: string;
}

const countryOf = (raw: unknown): Country | null => {
  const c = String(raw ?? '').toLowerCase();
  if (c.includes('kingdom') || c === 'gb' || c === 'uk') return 'GB';
  if (c.includes('germany') || c === 'de') return 'DE';
  if (c === 'usa' || c === 'us' || c.includes('united states')) return 'US';
  return null;
};

/** The stand-in's employees who can take part: email, mobile and a manager with an email on file, a known office
 * country, no contact change in their history (S10 would flag them before the scenario does anything). */
export class People {
  private pools = new Map<Country, Requester[]>();

  constructor(private readonly env: EvalEnv) {
    const store = env.instance.store;
    const changed = new Set(env.instance.seed.contactChanges.map((c) => c.userName));
    for (const u of store.query('sys_user', 'active=true')) {
      const sysId = String(u.sys_id);
      if (
        !u.email ||
        !u.mobile_phone ||
        !u.manager ||
        changed.has(String(u.user_name)) ||
        store.rolesOf(sysId).length > 0
      )
        continue;
      const mgr = store.get('sys_user', String(u.manager));
      const loc = u.location ? store.get('cmn_location', String(u.location)) : null;
      const country = countryOf(loc?.country);
      if (!mgr?.email || !country) continue;
      const list = this.pools.get(country) ?? [];
      list.push({
        sysId,
        userName: String(u.user_name),
        name: String(u.name),
        email: String(u.email),
        mobile: String(u.mobile_phone),
        country,
        manager: { sysId: String(mgr.sys_id), name: String(mgr.name), email: String(mgr.email) },
      });
      this.pools.set(country, list);
    }
    for (const list of this.pools.values()) list.sort((a, b) => a.userName.localeCompare(b.userName));
  }

  sizes(): Record<Country, number> {
    const n = (c: Country) => this.pools.get(c)?.length ?? 0;
    return { US: n('US'), GB: n('GB'), DE: n('DE') };
  }

  /** The next unused employee at an office in `country`. */
  take(country: Country): Requester {
    const list = this.pools.get(country);
    const p = list?.shift();
    if (!p) throw new HarnessError(`no more usable employees in ${country}`);
    return p;
  }

  knowledge(p: Requester): PersonKnowledge {
    return personKnowledge(this.env.instance.store, p.sysId);
  }

  /** Opens a ticket for `p` through the stand-in's Table API, in a category that requires verification. */
  async openTicket(p: Requester, n: number): Promise<Ticket> {
    const [category, text] = SUBJECTS[n % SUBJECTS.length]!;
    const res = await fetch(`${this.env.instance.url}/api/now/table/incident`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`admin:${this.env.adminPassword}`).toString('base64')}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify({
        caller_id: p.sysId,
        category,
        short_description: text,
        contact_type: 'phone',
      }),
    });
    if (res.status !== 201)
      throw new HarnessError(`creating an incident answered ${res.status}: ${await res.text()}`);
    const r = ((await res.json()) as { result: { sys_id: string; number: string } }).result;
    return { sys_id: r.sys_id, number: r.number };
  }

  /**
   * The attacker had `p`'s mobile number changed in ServiceNow `daysAgo` days ago: a Table API update (so the
   * instance writes the sys_audit row, as one auditing sys_user does), then that row is dated back.
   */
  async changeMobile(p: Requester, newNumber: string, daysAgo: number): Promise<void> {
    const res = await fetch(`${this.env.instance.url}/api/now/table/sys_user/${p.sysId}`, {
      method: 'PATCH',
      headers: {
        authorization: `Basic ${Buffer.from(`admin:${this.env.adminPassword}`).toString('base64')}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify({ mobile_phone: newNumber }),
    });
    if (res.status !== 200)
      throw new HarnessError(`changing the mobile answered ${res.status}: ${await res.text()}`);
    const store = this.env.instance.store;
    const audit = store
      .query('sys_audit', `documentkey=${p.sysId}^fieldname=mobile_phone`)
      .find((a) => a.newvalue === newNumber);
    if (!audit) throw new HarnessError('the stand-in wrote no sys_audit row for the mobile change');
    const when = new Date(Date.now() - daysAgo * 86_400_000).toISOString().replace('T', ' ').slice(0, 19);
    store.update('sys_audit', String(audit.sys_id), { sys_created_on: when, sys_updated_on: when });
    p.mobile = newNumber;
  }
}

export type AddressKind = 'residential' | 'hosting' | 'vpn' | 'tor';

/** Hands out distinct client addresses of a kind and country, each checked against the service's own lookup. */
export class Addresses {
  private used = new Set<string>();
  private counters = new Map<string, number>();

  constructor(private readonly env: EvalEnv) {}

  private static candidate(kind: AddressKind, country: Country, n: number): string {
    const a = 1 + (n % 250);
    const b = Math.floor(n / 250);
    switch (kind) {
      case 'residential':
        // Comcast (US), BT (GB), Deutsche Telekom (DE) consumer ranges
        return country === 'US'
          ? `73.${10 + b}.${20 + (a % 200)}.${a}`
          : country === 'GB'
            ? `86.${150 + b}.${a}.${(a * 7) % 250}`
            : `84.${128 + b}.${a}.${(a * 11) % 250}`;
      case 'hosting':
        return `52.95.${110 + b}.${a}`; // Amazon
      case 'vpn':
        return `104.28.${a}.${1 + b}`; // Cloudflare WARP
      case 'tor':
        return `185.220.101.${a}`;
    }
  }

  next(kind: AddressKind, country: Country = 'US'): string {
    const key = `${kind}:${country}`;
    for (let tries = 0; tries < 500; tries++) {
      const n = this.counters.get(key) ?? 0;
      this.counters.set(key, n + 1);
      const ip = Addresses.candidate(kind, country, n);
      if (this.used.has(ip)) continue;
      const r = this.env.deps.assurance.network.lookup(ip);
      const fits =
        r.status === 'ok' &&
        (kind === 'residential'
          ? r.country === country && !r.hosting && !r.vpn && !r.tor
          : kind === 'hosting'
            ? r.hosting
            : kind === 'vpn'
              ? r.vpn
              : r.tor);
      if (!fits) continue;
      this.used.add(ip);
      return ip;
    }
    throw new HarnessError(`no ${kind} address for ${country}`);
  }
}
