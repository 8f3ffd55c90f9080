// Deterministic organisation data (CONTRACTS.md "Stand-in seed data"). Same seed → same users, ids,
// departments, groups, assets and tickets; dates are relative to the `now` given, so "recent" stays recent.
// Names, addresses and phone numbers are fictional (example.com, 555-01xx).

import { formatGlideDateTime } from './query';
import { computePriority } from './rules';
import type { Rec, TableStore, User } from './store';

export const DEFAULT_SEED = 20240611;

/** The well-known open password-reset ticket the demo prints and tests use (fixed whatever the seed). */
export const DEMO_TICKET = {
  table: 'incident',
  sys_id: '5c1f0e8a9b2d4e6f8a0b1c2d3e4f5a6b',
  number: 'INC0010001',
  short_description: 'Password reset - locked out of laptop after holiday',
  category: 'password_reset',
  caller: {
    sys_id: 'a8f98bb0eb32010045e1a5115206fe3a',
    user_name: 'abel.tuter',
    name: 'Abel Tuter',
    first_name: 'Abel',
    last_name: 'Tuter',
    email: 'abel.tuter@example.com',
    mobile_phone: '+12025550100',
  },
} as const;

/** Fixed user names (their passwords come from the options). */
export const SEED_USERS = {
  admin: 'admin',
  agent: 'beth.anglin',
  otherAgents: ['david.loddy', 'don.goodliffe', 'luke.wilson'],
  integration: 'imper.integration',
} as const;

// ---- PRNG (sfc32 seeded through splitmix32): tiny, fast, deterministic across platforms ---------------------

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.uint32();
  }

  uint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** [0, 1) */
  next(): number {
    return this.uint32() / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)] as T;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  hex(len: number): string {
    let out = '';
    while (out.length < len) out += this.uint32().toString(16).padStart(8, '0');
    return out.slice(0, len);
  }

  sysId(): string {
    return this.hex(32);
  }
}

// ---- reference data -------------------------------------------------------------------------------------------

const FIRST_NAMES = [
  'Aaron',
  'Adele',
  'Alejandra',
  'Alissa',
  'Amos',
  'Anika',
  'Bernard',
  'Bianca',
  'Bud',
  'Candice',
  'Carlos',
  'Celia',
  'Chester',
  'Dana',
  'Darnell',
  'Delia',
  'Desmond',
  'Elena',
  'Elliot',
  'Esme',
  'Fabian',
  'Farah',
  'Felix',
  'Gemma',
  'Gideon',
  'Greta',
  'Hana',
  'Hector',
  'Imogen',
  'Ivan',
  'Jasmine',
  'Jonah',
  'Kai',
  'Keiko',
  'Lars',
  'Leona',
  'Malik',
  'Marisol',
  'Milo',
  'Nadia',
  'Nils',
  'Odette',
  'Omar',
  'Pavel',
  'Petra',
  'Quinn',
  'Rafael',
  'Rhea',
  'Rosalind',
  'Samir',
  'Selma',
  'Tobias',
  'Trudy',
  'Umar',
  'Vera',
  'Wendell',
  'Ximena',
  'Yusuf',
  'Zelda',
  'Zoran',
] as const;
const LAST_NAMES = [
  'Abbott',
  'Alvarez',
  'Bachmann',
  'Bello',
  'Brandt',
  'Castellano',
  'Chowdhury',
  'Dalton',
  'Delacroix',
  'Eriksen',
  'Fairbanks',
  'Ferreira',
  'Gallagher',
  'Haddad',
  'Hoffmann',
  'Ibarra',
  'Jankowski',
  'Kavanagh',
  'Kowalczyk',
  'Lindqvist',
  'Marchetti',
  'Moreau',
  'Nakamura',
  'Novak',
  'Okafor',
  'Oyelaran',
  'Petrov',
  'Quintero',
  'Rasmussen',
  'Rinaldi',
  'Sandoval',
  'Schreiber',
  'Takahashi',
  'Thibodeaux',
  'Underwood',
  'Varga',
  'Whitfield',
  'Yamamoto',
  'Zielinski',
  'Zamora',
] as const;

const LOCATIONS = [
  {
    name: 'Washington DC HQ',
    street: '1 Example Plaza',
    city: 'Washington',
    state: 'DC',
    zip: '20001',
    country: 'USA',
  },
  {
    name: 'Chicago Office',
    street: '200 Sample Street',
    city: 'Chicago',
    state: 'IL',
    zip: '60601',
    country: 'USA',
  },
  {
    name: 'San Francisco Office',
    street: '55 Placeholder Ave',
    city: 'San Francisco',
    state: 'CA',
    zip: '94105',
    country: 'USA',
  },
  {
    name: 'Boston Office',
    street: '9 Fictional Wharf',
    city: 'Boston',
    state: 'MA',
    zip: '02110',
    country: 'USA',
  },
  {
    name: 'London Office',
    street: '10 Imaginary Lane',
    city: 'London',
    state: '',
    zip: 'EC1A 1AA',
    country: 'United Kingdom',
  },
  {
    name: 'Berlin Office',
    street: 'Beispielstraße 3',
    city: 'Berlin',
    state: '',
    zip: '10115',
    country: 'Germany',
  },
  {
    name: 'Austin Office',
    street: '77 Demo Drive',
    city: 'Austin',
    state: 'TX',
    zip: '73301',
    country: 'USA',
  },
] as const;

const DEPARTMENTS = [
  { name: 'Executive', id: 'EXEC', titles: ['Chief of Staff', 'Executive Assistant'] },
  {
    name: 'Finance',
    id: 'FIN',
    titles: ['Accountant', 'Financial Analyst', 'Controller', 'Payroll Specialist'],
  },
  { name: 'Human Resources', id: 'HR', titles: ['HR Generalist', 'Recruiter', 'HR Business Partner'] },
  {
    name: 'IT',
    id: 'IT',
    titles: ['Systems Engineer', 'Network Engineer', 'Database Administrator', 'IT Analyst'],
  },
  { name: 'Sales', id: 'SALES', titles: ['Account Executive', 'Sales Engineer', 'Sales Operations Analyst'] },
  { name: 'Marketing', id: 'MKT', titles: ['Content Strategist', 'Marketing Manager', 'Brand Designer'] },
  {
    name: 'Engineering',
    id: 'ENG',
    titles: ['Software Engineer', 'QA Engineer', 'Site Reliability Engineer', 'Product Manager'],
  },
  { name: 'Legal', id: 'LEGAL', titles: ['Counsel', 'Paralegal', 'Compliance Officer'] },
  {
    name: 'Customer Support',
    id: 'CS',
    titles: ['Support Specialist', 'Customer Success Manager', 'Support Team Lead'],
  },
] as const;

const EXTRA_GROUPS = [
  { name: 'Remote Workers', description: 'Staff working mainly from home' },
  { name: 'Security Champions', description: 'Security liaisons across departments' },
  { name: 'Project Phoenix', description: 'ERP migration project team' },
  { name: 'Sustainability Committee', description: 'Volunteer green office committee' },
  { name: 'Mentoring Programme', description: 'Mentors and mentees' },
] as const;

const SUPPORT_GROUPS = [
  { name: 'Service Desk', description: 'First-line IT support' },
  { name: 'Identity and Access Management', description: 'Accounts, passwords and access' },
  { name: 'Network', description: 'Network operations' },
  { name: 'Database', description: 'Database administration' },
  { name: 'Hardware', description: 'Desktop and hardware support' },
  { name: 'Software', description: 'Application support' },
] as const;

const LAPTOPS = [
  'Dell Latitude 7440',
  'Apple MacBook Pro 14',
  'Lenovo ThinkPad X1 Carbon Gen 11',
  'HP EliteBook 840 G10',
];
const MONITORS = ['Dell UltraSharp U2723QE', 'LG 27UP850', 'Lenovo ThinkVision P27h'];
const PHONES = ['Apple iPhone 15', 'Google Pixel 8', 'Samsung Galaxy S23'];
// Added later from their own generator (see "additions for identity assurance"), so earlier records keep theirs.
const EXTRA_MONITORS = ['Samsung ViewFinity S8', 'HP E27 G5', 'BenQ PD2705U'];
const EXTRA_PHONES = ['Apple iPhone 14', 'Google Pixel 7a', 'Samsung Galaxy S24'];

const ROLES = [
  { name: 'admin', description: 'System administrator' },
  { name: 'itil', description: 'Fulfiller: works on tasks' },
  { name: 'x_imper_verify.agent', description: 'imper.ai Verify: may send verification links' },
  { name: 'x_imper_verify.integration', description: 'imper.ai Verify: the service integration user' },
  { name: 'x_imper_verify.admin', description: 'imper.ai Verify: app administrator' },
] as const;

const AREA_CODES = ['202', '312', '415', '617', '512'];

/** sys_choice rows: [table, element, value, label, inactive?]. */
export const CHOICES: Array<[string, string, string, string, boolean?]> = [
  ['incident', 'category', 'inquiry', 'Inquiry / Help'],
  ['incident', 'category', 'software', 'Software'],
  ['incident', 'category', 'hardware', 'Hardware'],
  ['incident', 'category', 'network', 'Network'],
  ['incident', 'category', 'database', 'Database'],
  ['incident', 'category', 'password_reset', 'Password Reset'],
  ['incident', 'category', 'account_unlock', 'Account Unlock'],
  ['incident', 'category', 'access', 'Access Request'],
  ['incident', 'state', '1', 'New'],
  ['incident', 'state', '2', 'In Progress'],
  ['incident', 'state', '3', 'On Hold'],
  ['incident', 'state', '6', 'Resolved'],
  ['incident', 'state', '7', 'Closed'],
  ['incident', 'state', '8', 'Canceled'],
  ['incident', 'close_code', 'Solved (Work Around)', 'Solved (Work Around)'],
  ['incident', 'close_code', 'Solved (Permanently)', 'Solved (Permanently)'],
  ['incident', 'close_code', 'Solved Remotely (Work Around)', 'Solved Remotely (Work Around)'],
  ['incident', 'close_code', 'Solved Remotely (Permanently)', 'Solved Remotely (Permanently)'],
  ['incident', 'close_code', 'Not Solved (Not Reproducible)', 'Not Solved (Not Reproducible)'],
  ['incident', 'close_code', 'Not Solved (Too Costly)', 'Not Solved (Too Costly)'],
  ['incident', 'close_code', 'Closed/Resolved by Caller', 'Closed/Resolved by Caller'],
  ['incident', 'close_code', 'Known error', 'Known error', true],
  ['task', 'state', '-5', 'Pending'],
  ['task', 'state', '1', 'Open'],
  ['task', 'state', '2', 'Work in Progress'],
  ['task', 'state', '3', 'Closed Complete'],
  ['task', 'state', '4', 'Closed Incomplete'],
  ['task', 'state', '7', 'Closed Skipped'],
  ['task', 'impact', '1', '1 - High'],
  ['task', 'impact', '2', '2 - Medium'],
  ['task', 'impact', '3', '3 - Low'],
  ['task', 'urgency', '1', '1 - High'],
  ['task', 'urgency', '2', '2 - Medium'],
  ['task', 'urgency', '3', '3 - Low'],
  ['task', 'priority', '1', '1 - Critical'],
  ['task', 'priority', '2', '2 - High'],
  ['task', 'priority', '3', '3 - Moderate'],
  ['task', 'priority', '4', '4 - Low'],
  ['task', 'priority', '5', '5 - Planning'],
  ['task', 'contact_type', 'email', 'Email'],
  ['task', 'contact_type', 'phone', 'Phone'],
  ['task', 'contact_type', 'self-service', 'Self-service'],
  ['task', 'contact_type', 'walk-in', 'Walk-in'],
  ['task', 'contact_type', 'virtual_agent', 'Virtual Agent'],
  ['task', 'x_imper_verify_status', 'required', 'Required'],
  ['task', 'x_imper_verify_status', 'sent', 'Sent'],
  ['task', 'x_imper_verify_status', 'in_progress', 'In Progress'],
  ['task', 'x_imper_verify_status', 'passed', 'Passed'],
  ['task', 'x_imper_verify_status', 'failed', 'Failed'],
  ['task', 'x_imper_verify_status', 'incomplete', 'Incomplete'],
  ['task', 'x_imper_verify_status', 'timed_out', 'Timed Out'],
  ['task', 'x_imper_verify_status', 'canceled', 'Canceled'],
  ['task', 'x_imper_verify_risk_level', 'verified', 'Verified'],
  ['task', 'x_imper_verify_risk_level', 'medium', 'Medium'],
  ['task', 'x_imper_verify_risk_level', 'high', 'High'],
  ['task', 'x_imper_verify_action', 'none', 'None'],
  ['task', 'x_imper_verify_action', 'password_reset', 'Password Reset'],
  ['task', 'x_imper_verify_action', 'account_unlock', 'Account Unlock'],
  ['task', 'x_imper_verify_action', 'mfa_reset', 'MFA Reset'],
  ['task', 'x_imper_verify_action_status', 'not_started', 'Not Started'],
  ['task', 'x_imper_verify_action_status', 'completed', 'Completed'],
  ['task', 'x_imper_verify_action_status', 'failed', 'Failed'],
  ['x_imper_verify_category_policy', 'action', 'none', 'None'],
  ['x_imper_verify_category_policy', 'action', 'password_reset', 'Password Reset'],
  ['x_imper_verify_category_policy', 'action', 'account_unlock', 'Account Unlock'],
  ['x_imper_verify_category_policy', 'action', 'mfa_reset', 'MFA Reset'],
  ['alm_hardware', 'install_status', '1', 'In use'],
  ['alm_hardware', 'install_status', '6', 'In stock'],
  ['alm_hardware', 'install_status', '7', 'Retired'],
];

/** CONTRACTS.md "Category policy" defaults. */
export const CATEGORY_POLICIES = [
  { category: 'password_reset', action: 'password_reset', auto_close: 'true', order: '100' },
  { category: 'account_unlock', action: 'account_unlock', auto_close: 'true', order: '200' },
  { category: 'access', action: 'none', auto_close: 'false', order: '300' },
] as const;

const TICKET_TEXT: Record<string, string[]> = {
  password_reset: [
    'Forgot my password after holiday',
    'Password expired and cannot log in',
    'Need a password reset for my laptop login',
    'Password not accepted after change',
  ],
  account_unlock: [
    'Account locked after too many attempts',
    'Locked out of my account',
    'Cannot sign in: account locked',
  ],
  access: [
    'Need access to the Finance shared drive',
    'Request access to the CRM reporting module',
    'Access to the VPN for contractor work',
  ],
  inquiry: [
    'How do I set up email on my phone?',
    'Question about the new expense tool',
    'Where do I find the holiday calendar?',
  ],
  software: [
    'Outlook keeps crashing',
    'Excel add-in not loading',
    'Cannot install the design tool update',
    'Teams audio not working',
  ],
  hardware: [
    'Laptop battery drains quickly',
    'Docking station not detecting monitor',
    'Keyboard keys sticking',
    'Laptop fan very loud',
  ],
  network: ['Wi-Fi drops in meeting room 4', 'VPN disconnects every hour', 'Slow network on floor 3'],
  database: [
    'Reporting database query timing out',
    'Cannot connect to the analytics database',
    'Data missing from sales dashboard',
  ],
};
const CATEGORY_WEIGHTS: Array<[string, number]> = [
  ['password_reset', 4],
  ['account_unlock', 2],
  ['access', 2],
  ['inquiry', 3],
  ['software', 4],
  ['hardware', 3],
  ['network', 2],
  ['database', 1],
];
const CATALOG_ITEMS = [
  'Request a second monitor',
  'New docking station',
  'Noise-cancelling headset',
  'Adobe Acrobat Pro licence',
  'Access to the Tableau dashboards',
  'Replacement laptop charger',
  'Ergonomic keyboard and mouse',
  'Visio licence',
  'Mobile phone upgrade',
  'Standing desk converter',
];
const CLOSE_NOTES = [
  'Walked the caller through the fix; confirmed working.',
  'Applied the standard fix; caller confirmed.',
  'Issue resolved remotely.',
  'Caller reported the issue no longer occurs.',
];

export interface SeedOptions {
  seed: number;
  /** Reference time for relative dates (ms). */
  now: number;
  /**
   * The app's category rule as it runs before an insert (the stand-in passes the installed app's); seeding
   * writes without rules, so the seeded incidents get their verification columns through this. None = untouched.
   */
  applyPolicy?: (table: string, record: Rec) => void;
  adminPassword: string;
  agentPassword: string;
  integrationPassword: string;
}

export interface SeedSummary {
  users: number;
  incidents: number;
  /** sc_request records (each with one sc_req_item). */
  requests: number;
  /** The seeded sys_audit history of contact fields (S10), by user. */
  contactChanges: Array<{ userName: string; field: 'mobile_phone' | 'email'; daysAgo: number }>;
  admin: User;
  agent: User;
  integration: User;
}

const DAY = 86_400_000;

/** Fills an empty store. Writes run without rules (like an import), dates are backdated from `now`. */
export function seedStore(store: TableStore, opts: SeedOptions): SeedSummary {
  const rng = new Prng(opts.seed);
  const at = (ms: number): string => formatGlideDateTime(ms);
  const ins = (table: string, values: Record<string, unknown>): Rec =>
    store.insert(table, { sys_id: rng.sysId(), ...values }, { runRules: false });
  const created = (daysAgo: number): Record<string, string> => {
    const ts = at(opts.now - daysAgo * DAY);
    return { sys_created_on: ts, sys_updated_on: ts };
  };

  // Choices and policy first: later records read their labels.
  CHOICES.forEach(([name, element, value, label, inactive], i) =>
    ins('sys_choice', {
      name,
      element,
      value,
      label,
      sequence: String(i),
      inactive: inactive ? 'true' : 'false',
      ...created(400),
    }),
  );
  for (const p of CATEGORY_POLICIES) {
    ins('x_imper_verify_category_policy', {
      task_table: 'incident',
      category: p.category,
      subcategory: '',
      requires_verification: 'true',
      action: p.action,
      auto_close: p.auto_close,
      active: 'true',
      order: p.order,
      ...created(400),
    });
  }
  const roles = new Map<string, string>(
    ROLES.map((r) => [r.name, ins('sys_user_role', { ...r, ...created(400) }).sys_id as string]),
  );
  const locations = LOCATIONS.map((l) => ins('cmn_location', { ...l, ...created(400) }));
  const departments = DEPARTMENTS.map((d) =>
    ins('cmn_department', { name: d.name, id: d.id, description: `${d.name} department`, ...created(400) }),
  );
  const deptIndex = (name: string): number => DEPARTMENTS.findIndex((d) => d.name === name);

  // ---- people ------------------------------------------------------------------------------------------------
  let phoneCounter = 0;
  const nextMobile = (): string => {
    const k = phoneCounter++;
    const area = AREA_CODES[Math.floor(k / 100) % AREA_CODES.length] as string;
    return `+1${area}5550${String(100 + (k % 100)).slice(-3)}`;
  };
  const userNames = new Set<string>();
  const personValues = (first: string, last: string, userName?: string): Record<string, string> => {
    let un = userName ?? `${first}.${last}`.toLowerCase();
    for (let n = 2; userNames.has(un); n++) un = `${first}.${last}${n}`.toLowerCase();
    userNames.add(un);
    return {
      user_name: un,
      first_name: first,
      last_name: last,
      name: `${first} ${last}`,
      email: `${un}@example.com`,
    };
  };

  type Person = { values: Record<string, string>; dept: number };
  const people: Person[] = [];
  // The demo caller first: fixed id, name, email and mobile.
  people.push({
    values: {
      sys_id: DEMO_TICKET.caller.sys_id,
      ...personValues(
        DEMO_TICKET.caller.first_name,
        DEMO_TICKET.caller.last_name,
        DEMO_TICKET.caller.user_name,
      ),
      mobile_phone: nextMobile(),
      title: 'Financial Analyst',
    },
    dept: deptIndex('Finance'),
  });
  people.push({
    values: {
      sys_id: rng.sysId(),
      ...personValues('Grace', 'Whitmore'),
      mobile_phone: nextMobile(),
      title: 'Chief Executive Officer',
    },
    dept: deptIndex('Executive'),
  });
  const usedNames = new Set(['Abel Tuter', 'Grace Whitmore']);
  while (people.length < 200) {
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    if (usedNames.has(`${first} ${last}`)) continue;
    usedNames.add(`${first} ${last}`);
    const dept = rng.int(1, DEPARTMENTS.length - 1);
    people.push({
      values: {
        sys_id: rng.sysId(),
        ...personValues(first, last),
        mobile_phone: nextMobile(),
        title: rng.pick((DEPARTMENTS[dept] as (typeof DEPARTMENTS)[number]).titles),
      },
      dept,
    });
  }
  const ceo = people[1] as Person;
  const heads = new Map<number, Person>([[ceo.dept, ceo]]);
  for (const p of people.slice(2)) if (!heads.has(p.dept)) heads.set(p.dept, p);

  const staff = [
    {
      values: { ...personValues('System', 'Administrator', SEED_USERS.admin), title: 'System Administrator' },
      roles: ['admin'],
    },
    {
      values: { ...personValues('Beth', 'Anglin', SEED_USERS.agent), title: 'Service Desk Analyst' },
      roles: ['itil', 'x_imper_verify.agent'],
    },
    {
      values: { ...personValues('David', 'Loddy', 'david.loddy'), title: 'Service Desk Analyst' },
      roles: ['itil', 'x_imper_verify.agent'],
    },
    {
      values: { ...personValues('Don', 'Goodliffe', 'don.goodliffe'), title: 'Service Desk Lead' },
      roles: ['itil', 'x_imper_verify.agent'],
    },
    {
      values: { ...personValues('Luke', 'Wilson', 'luke.wilson'), title: 'Desktop Support Technician' },
      roles: ['itil'],
    },
    {
      values: {
        ...personValues('imper.ai', 'Integration', SEED_USERS.integration),
        email: '',
        title: 'Integration user',
      },
      roles: ['x_imper_verify.integration'],
    },
  ];
  const itDept = deptIndex('IT');
  const itHead = heads.get(itDept) as Person;

  const users: Rec[] = [];
  people.forEach((p, i) => {
    const head = heads.get(p.dept);
    const manager =
      p === ceo ? '' : head === p || !head ? (ceo.values.sys_id as string) : (head.values.sys_id as string);
    const u = store.insert(
      'sys_user',
      {
        ...p.values,
        employee_number: `E${10001 + i}`,
        manager,
        department: departments[p.dept]?.sys_id,
        location: p === people[0] ? locations[0]?.sys_id : rng.pick(locations).sys_id,
        vip: p === ceo || (p !== people[0] && rng.chance(0.05)) ? 'true' : 'false',
        locked_out: p !== people[0] && rng.chance(0.04) ? 'true' : 'false',
        active: p === people[0] || rng.chance(0.97) ? 'true' : 'false',
        ...created(rng.int(200, 1500)),
      },
      { runRules: false },
    );
    users.push(u);
  });
  const staffRecs = staff.map((s) =>
    ins('sys_user', {
      ...s.values,
      mobile_phone: s.roles.includes('x_imper_verify.integration') ? '' : nextMobile(),
      manager: itHead.values.sys_id,
      department: departments[itDept]?.sys_id,
      location: locations[0]?.sys_id,
      ...created(rng.int(300, 900)),
    }),
  );
  departments.forEach((d, i) => {
    const head = heads.get(i);
    if (head)
      store.update(
        'cmn_department',
        d.sys_id as string,
        { dept_head: head.values.sys_id },
        { runRules: false },
      );
  });

  staff.forEach((s, i) => {
    for (const role of s.roles) {
      ins('sys_user_has_role', {
        user: staffRecs[i]?.sys_id,
        role: roles.get(role),
        state: 'active',
        inherited: 'false',
        ...created(300),
      });
    }
  });
  const [adminRec, agentRec, ...otherStaff] = staffRecs as [Rec, Rec, ...Rec[]];
  const integrationRec = otherStaff[otherStaff.length - 1] as Rec;
  const agentRecs = [agentRec, ...otherStaff.slice(0, 3)];
  store.setPassword(adminRec.sys_id as string, opts.adminPassword);
  for (const a of agentRecs) store.setPassword(a.sys_id as string, opts.agentPassword);
  store.setPassword(integrationRec.sys_id as string, opts.integrationPassword);

  // ---- groups --------------------------------------------------------------------------------------------------
  const member = (user: Rec, group: Rec): Rec =>
    ins('sys_user_grmember', { user: user.sys_id, group: group.sys_id, ...created(rng.int(30, 600)) });
  const supportGroups = SUPPORT_GROUPS.map((g) =>
    ins('sys_user_group', {
      ...g,
      manager: agentRecs[3]?.sys_id,
      email: `${g.name.toLowerCase().replace(/\W+/g, '.')}@example.com`,
      ...created(500),
    }),
  );
  const deptGroups = DEPARTMENTS.map((d, i) =>
    ins('sys_user_group', {
      name: `${d.name} Team`,
      description: `Everyone in ${d.name}`,
      manager: heads.get(i)?.values.sys_id ?? '',
      ...created(500),
    }),
  );
  const extraGroups = EXTRA_GROUPS.map((g) =>
    ins('sys_user_group', { ...g, manager: rng.pick(users).sys_id, ...created(500) }),
  );
  people.forEach((p, i) => {
    const u = users[i] as Rec;
    member(u, deptGroups[p.dept] as Rec);
    const extras = new Set<number>();
    const n = i === 0 ? 2 : rng.int(0, 2);
    while (extras.size < n) extras.add(rng.int(0, extraGroups.length - 1));
    for (const e of extras) member(u, extraGroups[e] as Rec);
  });
  for (const a of agentRecs) {
    member(a, supportGroups[0] as Rec);
    member(a, supportGroups[1] as Rec);
    member(a, deptGroups[itDept] as Rec);
  }

  // ---- assets --------------------------------------------------------------------------------------------------
  let tag = 100100;
  const asset = (user: Rec, category: string, model: string): Rec => {
    const assetTag = `P${tag++}`;
    const daysAgo = rng.int(20, 900);
    return ins('alm_hardware', {
      display_name: `${assetTag} - ${model}`,
      asset_tag: assetTag,
      serial_number: rng.hex(10).toUpperCase(),
      model_category: category,
      model,
      assigned_to: user.sys_id,
      assigned: at(opts.now - daysAgo * DAY),
      install_status: '1',
      ...created(daysAgo + 5),
    });
  };
  for (const u of [...users, ...agentRecs]) {
    asset(u, 'Computer', rng.pick(LAPTOPS));
    if (u === users[0] || rng.chance(0.5)) asset(u, 'Monitor', rng.pick(MONITORS));
    if (u === users[0] || rng.chance(0.4)) asset(u, 'Mobile Phone', rng.pick(PHONES));
  }

  // ---- incidents ------------------------------------------------------------------------------------------------
  const serviceDesk = supportGroups[0] as Rec;
  const totalWeight = CATEGORY_WEIGHTS.reduce((s, [, w]) => s + w, 0);
  const pickCategory = (): string => {
    let r = rng.next() * totalWeight;
    for (const [c, w] of CATEGORY_WEIGHTS) if ((r -= w) < 0) return c;
    return 'inquiry';
  };
  const activeCloseCodes = CHOICES.filter(
    ([n, e, , , inactive]) => n === 'incident' && e === 'close_code' && !inactive,
  ).map(([, , v]) => v);

  type Spec = { values: Record<string, string>; notes: Array<[number, string, string]> };
  const specs: Spec[] = [];
  users.forEach((u, i) => {
    if (u.active !== 'true') return;
    const count = i === 0 ? 3 : rng.int(2, 4);
    for (let k = 0; k < count; k++) {
      const category = pickCategory();
      const ageMs = Math.floor(rng.next() * 90 * DAY) + 3_600_000;
      const openedMs = opts.now - ageMs;
      const recent = ageMs < 3 * DAY;
      const state = recent
        ? rng.pick(['1', '2', '2', '3'])
        : rng.chance(0.08)
          ? '6'
          : rng.chance(0.05)
            ? '8'
            : '7';
      const impact = rng.pick(['2', '3', '3']);
      const urgency = rng.pick(['2', '3', '3']);
      const agent = rng.pick(agentRecs);
      const v: Record<string, string> = {
        sys_id: rng.sysId(),
        short_description: rng.pick(TICKET_TEXT[category] as string[]),
        description: 'Reported by the caller; details in the notes.',
        category,
        caller_id: u.sys_id as string,
        opened_by: rng.chance(0.7) ? (u.sys_id as string) : (agent.sys_id as string),
        opened_at: at(openedMs),
        contact_type: rng.pick(['email', 'phone', 'self-service', 'walk-in']),
        impact,
        urgency,
        priority: computePriority(impact, urgency) as string,
        state,
        active: state === '7' || state === '8' ? 'false' : 'true',
        assignment_group: serviceDesk.sys_id as string,
        assigned_to: state === '1' ? '' : (agent.sys_id as string),
        sys_created_on: at(openedMs),
        sys_created_by: u.user_name as string,
        sys_updated_on: at(openedMs),
      };
      const notes: Array<[number, string, string]> = [];
      if (state !== '1')
        notes.push([openedMs + 1_800_000, agent.user_name as string, 'Contacted caller; investigating.']);
      if (['6', '7'].includes(state)) {
        const resolvedMs = openedMs + rng.int(1, 48) * 3_600_000;
        Object.assign(v, {
          close_code: rng.pick(activeCloseCodes),
          close_notes: rng.pick(CLOSE_NOTES),
          resolved_at: at(resolvedMs),
          resolved_by: agent.sys_id as string,
          sys_updated_on: at(resolvedMs),
        });
        if (state === '7') {
          const closedMs = resolvedMs + rng.int(1, 3) * DAY;
          Object.assign(v, {
            closed_at: at(closedMs),
            closed_by: agent.sys_id as string,
            sys_updated_on: at(closedMs),
          });
        }
      }
      if (state === '8')
        Object.assign(v, { closed_at: at(openedMs + DAY), closed_by: agent.sys_id as string });
      specs.push({ values: v, notes });
    }
  });
  specs.sort((a, b) => ((a.values.opened_at ?? '') < (b.values.opened_at ?? '') ? -1 : 1));

  const demoOpened = opts.now - 15 * 60_000;
  const demo: Spec = {
    values: {
      sys_id: DEMO_TICKET.sys_id, // inserted first, so numbered INC0010001
      short_description: DEMO_TICKET.short_description,
      description:
        'Back from holiday, my password has expired and the self-service reset does not accept my answers.',
      category: DEMO_TICKET.category,
      caller_id: DEMO_TICKET.caller.sys_id,
      opened_by: agentRec.sys_id as string,
      opened_at: at(demoOpened),
      contact_type: 'phone',
      impact: '3',
      urgency: '2',
      priority: computePriority('3', '2') as string,
      state: '1',
      active: 'true',
      assignment_group: serviceDesk.sys_id as string,
      assigned_to: agentRec.sys_id as string,
      sys_created_on: at(demoOpened),
      sys_created_by: agentRec.user_name as string,
      sys_updated_on: at(demoOpened),
    },
    notes: [],
  };

  let incidents = 0;
  for (const spec of [demo, ...specs]) {
    const values = spec.values;
    opts.applyPolicy?.('incident', values);
    const rec = store.insert('incident', values, { runRules: false });
    for (const [ms, by, text] of spec.notes) {
      store.insert(
        'sys_journal_field',
        {
          element_id: rec.sys_id,
          element: 'work_notes',
          name: 'incident',
          value: text,
          sys_created_on: at(ms),
          sys_created_by: by,
        },
        { runRules: false, user: { sysId: '', userName: by, name: by, roles: [] } },
      );
    }
    incidents++;
  }

  // ---- additions for identity assurance (issue 9) ----------------------------------------------------------------
  // Drawn from their own generator so that every record seeded above keeps its id and values.
  const more = new Prng((opts.seed ^ 0x5eed0009) >>> 0);
  const moreIns = (table: string, values: Record<string, unknown>): Rec =>
    store.insert(table, { sys_id: more.sysId(), ...values }, { runRules: false });

  // Catalog requests: about a third of the people asked for something in the last 120 days.
  let requests = 0;
  users.forEach((u, i) => {
    if (u.active !== 'true' || (i !== 0 && !more.chance(0.35))) return;
    const item = more.pick(CATALOG_ITEMS);
    const openedMs = opts.now - (Math.floor(more.next() * 120 * DAY) + 3_600_000);
    const closed = more.chance(0.7);
    const dates = { opened_at: at(openedMs), sys_created_on: at(openedMs), sys_updated_on: at(openedMs) };
    const base = {
      short_description: item,
      requested_for: u.sys_id,
      opened_by: u.sys_id,
      state: closed ? '3' : '1',
      active: closed ? 'false' : 'true',
      sys_created_by: u.user_name,
      ...dates,
    };
    const req = moreIns('sc_request', { ...base, request_state: closed ? 'closed_complete' : 'approved' });
    moreIns('sc_req_item', { ...base, request: req.sys_id, quantity: '1' });
    requests++;
  });

  // More device models, so that a device question finds look-alikes of its own category: some people without a
  // monitor or a phone get one of the newer models.
  for (const u of users) {
    const has = new Set(store.query('alm_hardware', `assigned_to=${u.sys_id}`).map((h) => h.model_category));
    for (const [category, models] of [
      ['Monitor', EXTRA_MONITORS],
      ['Mobile Phone', EXTRA_PHONES],
    ] as const) {
      if (has.has(category) || !more.chance(0.35)) continue;
      const model = more.pick(models);
      const assetTag = `P${tag++}`;
      const daysAgo = more.int(20, 400);
      moreIns('alm_hardware', {
        display_name: `${assetTag} - ${model}`,
        asset_tag: assetTag,
        serial_number: more.hex(10).toUpperCase(),
        model_category: category,
        model,
        assigned_to: u.sys_id,
        assigned: at(opts.now - daysAgo * DAY),
        install_status: '1',
        ...created(daysAgo + 5),
      });
    }
  }

  // Contact changes in sys_user's history (SECURITY.md S10), deterministic by position among the seeded people
  // (never the demo caller): 7, 47, 87, 127, 167 changed their mobile phone 1–14 days ago; 27, 67, 107, 147,
  // 187 changed it 120–400 days ago; 13 and 113 changed their email 2–10 days ago. The user record holds the new
  // value; sys_audit holds old → new. `contactChanges` in the summary lists them by user_name. With DEFAULT_SEED:
  // recent phone changes keiko.abbott, kai.ferreira, dana.ibarra, selma.rinaldi, bernard.yamamoto; recent email
  // changes bernard.delacroix, carlos.nakamura; older phone changes imogen.gallagher, celia.lindqvist and others.
  const contactChanges: SeedSummary['contactChanges'] = [];
  const changeContact = (u: Rec, field: 'mobile_phone' | 'email', daysAgo: number): void => {
    const current = u[field] ?? '';
    const oldValue =
      field === 'mobile_phone'
        ? `+1${more.pick(AREA_CODES)}5550${String(more.int(100, 199))}`
        : current.replace(/@example\.com$/, '@example.org');
    const changedAt = at(opts.now - daysAgo * DAY - more.int(0, 86_399) * 1000);
    moreIns('sys_audit', {
      tablename: 'sys_user',
      documentkey: u.sys_id,
      fieldname: field,
      oldvalue: oldValue,
      newvalue: current,
      user: more.chance(0.5) ? u.user_name : agentRec.user_name,
      reason: '',
      record_checkpoint: String(Number(u.sys_mod_count || 0) + 1),
      sys_created_on: changedAt,
      sys_created_by: u.user_name,
      sys_updated_on: changedAt,
    });
    contactChanges.push({ userName: u.user_name ?? '', field, daysAgo });
  };
  users.forEach((u, i) => {
    if (i === 0) return;
    if (i % 40 === 7) changeContact(u, 'mobile_phone', more.int(1, 14));
    else if (i % 40 === 27) changeContact(u, 'mobile_phone', more.int(120, 400));
    else if (i % 100 === 13) changeContact(u, 'email', more.int(2, 10));
  });

  // ---- additions for the directory actions (issue 10) -------------------------------------------------------------
  // Resetting a password or clearing `locked_out` on sys_user needs `user_admin` on an instance (src/acl.ts); the
  // integration user gets it so the ServiceNow directory connector can act. Own generator, as above.
  const dir = new Prng((opts.seed ^ 0x5eed0010) >>> 0);
  const userAdmin = store.insert(
    'sys_user_role',
    {
      sys_id: dir.sysId(),
      name: 'user_admin',
      description: 'Creates and updates user records: passwords, lock-out',
      ...created(400),
    },
    { runRules: false },
  );
  store.insert(
    'sys_user_has_role',
    {
      sys_id: dir.sysId(),
      user: integrationRec.sys_id,
      role: userAdmin.sys_id,
      state: 'active',
      inherited: 'false',
      ...created(300),
    },
    { runRules: false },
  );

  return {
    users: users.length + staffRecs.length,
    incidents,
    requests,
    contactChanges,
    admin: store.toUser(adminRec),
    agent: store.toUser(agentRec),
    integration: store.toUser(integrationRec),
  };
}
