// A small fictional organisation for the challenge tests: facts of one requester and decoy pools.

import type {
  DecoyPools,
  HardwareRecord,
  LocationRecord,
  NamedRecord,
  OrgFacts,
  PersonRecord,
  TicketRecord,
} from '../../../src/domain/challenge';

export const KEY = Buffer.from('challenge-test-key-0123456789abcdef', 'utf8');
export const OTHER_KEY = Buffer.from('another-tenant-key-0123456789abcdef', 'utf8');
export const TENANT = 'https://acme.example.service-now.com';

const sid = (prefix: string, n: number): string =>
  `${prefix}${n.toString(16).padStart(8, '0')}`.padEnd(32, '0').replace(/[^0-9a-f]/g, 'a');

export const LOCATIONS: LocationRecord[] = [
  ['Washington DC HQ', 'Washington', 'USA'],
  ['Chicago Office', 'Chicago', 'USA'],
  ['Boston Office', 'Boston', 'USA'],
  ['Austin Office', 'Austin', 'USA'],
  ['San Francisco Office', 'San Francisco', 'USA'],
  ['London Office', 'London', 'United Kingdom'],
  ['Manchester Office', 'Manchester', 'United Kingdom'],
  ['Berlin Office', 'Berlin', 'Germany'],
].map(([name, city, country], i) => ({
  id: sid('10c', i),
  name: name as string,
  city: city as string,
  country: country as string,
}));

export const DEPARTMENTS: NamedRecord[] = [
  'Finance',
  'Human Resources',
  'IT',
  'Sales',
  'Marketing',
  'Engineering',
  'Legal',
  'Customer Support',
].map((name, i) => ({ id: sid('de9', i), name }));

const MANAGER_NAMES = [
  'Grace Whitmore',
  'Hector Okafor',
  'Nadia Lindqvist',
  'Pavel Moreau',
  'Rhea Castellano',
  'Samir Bachmann',
  'Trudy Nakamura',
  'Vera Haddad',
  'Zoran Eriksen',
  'Imogen Petrov',
  'Malik Rinaldi',
  'Esme Dalton',
];
export const MANAGERS: PersonRecord[] = MANAGER_NAMES.map((name, i) => ({
  id: sid('ma0', i),
  name,
  locationId: (LOCATIONS[i % 2] as LocationRecord).id, // six at each of two US offices
  departmentId: (DEPARTMENTS[i % DEPARTMENTS.length] as NamedRecord).id,
}));

export const GROUPS: NamedRecord[] = [
  'Finance Team',
  'IT Team',
  'Sales Team',
  'Remote Workers',
  'Security Champions',
  'Project Phoenix',
  'Sustainability Committee',
  'Mentoring Programme',
  'Service Desk',
  'Network',
  'Hardware',
  'Book Club',
].map((name, i) => ({ id: sid('9a0', i), name }));

const MODELS: Array<[string, string]> = [
  ['Computer', 'Dell Latitude 7440'],
  ['Computer', 'Apple MacBook Pro 14'],
  ['Computer', 'Lenovo ThinkPad X1 Carbon Gen 11'],
  ['Computer', 'HP EliteBook 840 G10'],
  ['Computer', 'Microsoft Surface Laptop 5'],
  ['Computer', 'Dell XPS 13'],
  ['Monitor', 'Dell UltraSharp U2723QE'],
  ['Monitor', 'LG 27UP850'],
  ['Monitor', 'Lenovo ThinkVision P27h'],
  ['Monitor', 'Samsung ViewFinity S8'],
  ['Monitor', 'HP E27 G5'],
  ['Mobile Phone', 'Apple iPhone 15'],
  ['Mobile Phone', 'Google Pixel 8'],
  ['Mobile Phone', 'Samsung Galaxy S23'],
  ['Mobile Phone', 'Apple iPhone 14'],
  ['Mobile Phone', 'Google Pixel 7a'],
];
export const HARDWARE: HardwareRecord[] = Array.from({ length: 48 }, (_, i) => {
  const [modelCategory, model] = MODELS[i % MODELS.length] as [string, string];
  return { id: sid('a55', i), displayName: `P${100200 + i} - ${model}`, modelCategory, model };
});

const TICKET_TEXTS: Array<[string, string]> = [
  ['software', 'Outlook keeps crashing'],
  ['software', 'Excel add-in not loading'],
  ['software', 'Teams audio not working'],
  ['software', 'Cannot install the design tool update'],
  ['hardware', 'Laptop battery drains quickly'],
  ['hardware', 'Docking station not detecting monitor'],
  ['hardware', 'Keyboard keys sticking'],
  ['network', 'VPN disconnects every hour'],
  ['network', 'Wi-Fi drops in meeting room 4'],
  ['inquiry', 'Where do I find the holiday calendar?'],
  ['inquiry', 'Question about the new expense tool'],
  ['password_reset', 'Password expired and cannot log in'],
];
export const OTHER_TICKETS: TicketRecord[] = Array.from({ length: 36 }, (_, i) => {
  const [category, shortDescription] = TICKET_TEXTS[i % TICKET_TEXTS.length] as [string, string];
  return {
    id: sid('71c', i),
    table: 'incident',
    number: `INC00200${String(i).padStart(2, '0')}`,
    shortDescription,
    category,
    openedAt: `2026-11-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00Z`,
  };
});

export const POOLS: DecoyPools = {
  managers: MANAGERS,
  departments: DEPARTMENTS,
  locations: LOCATIONS,
  groups: GROUPS,
  hardware: HARDWARE,
  tickets: OTHER_TICKETS,
};

/** The facts of a requester whose records are picked by `n` (different n → a different person's data). */
export function factsFor(personId: string, n = 0): OrgFacts {
  const pick = <T>(list: readonly T[], k: number): T => list[(n + k) % list.length] as T;
  return {
    personId,
    name: 'Abel Tuter',
    title: 'Financial Analyst',
    vip: false,
    manager: pick(MANAGERS, 0),
    department: pick(DEPARTMENTS, 0),
    location: pick(LOCATIONS, 0),
    groups: [pick(GROUPS, 0), pick(GROUPS, 5)],
    hardware: [pick(HARDWARE, 0), pick(HARDWARE, 4)],
    recentTickets: [
      {
        id: sid('aaa', n),
        table: 'incident',
        number: 'INC0030001',
        shortDescription: 'Printer on floor 2 jams every morning',
        category: 'hardware',
        openedAt: '2026-11-20T09:00:00Z',
      },
      {
        id: sid('bbb', n),
        table: 'sc_req_item',
        number: 'RITM0010001',
        shortDescription: 'Request a second monitor',
        category: '',
        openedAt: '2026-10-02T09:00:00Z',
      },
    ],
    lastPhoneChange: null,
    lastEmailChange: null,
    contactHistoryAvailable: true,
  };
}

export const personId = (i: number): string => sid('be7', i);
