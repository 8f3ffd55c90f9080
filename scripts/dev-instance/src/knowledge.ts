// What a seeded person knows about themselves: the display values a genuine employee would recognise as true in
// the knowledge challenge (CONTRACTS.md "Requester challenge pages": a manager's `name`, a department's `name`, a
// location's `name`, a group's `name`, a device's `display_name`, a ticket's `short_description`). Tests and the
// evaluation suite answer as the person with it; an impostor is given only some kinds of it.
import type { TableStore } from './store';

export const KNOWLEDGE_KINDS = [
  'manager',
  'department',
  'location',
  'group',
  'asset',
  'recent_ticket',
] as const;
export type KnowledgeKind = (typeof KNOWLEDGE_KINDS)[number];
export type PersonKnowledge = Record<KnowledgeKind, string[]>;

const name = (store: TableStore, table: string, sysId: unknown) =>
  typeof sysId === 'string' && sysId ? String(store.get(table, sysId)?.name ?? '') : '';

const DAY = 86_400_000;
const openedWithin = (since: number) => (r: { opened_at?: unknown }) => {
  const at = Date.parse(`${String(r.opened_at ?? '').replace(' ', 'T')}Z`);
  return Number.isFinite(at) && at >= since;
};

/**
 * What the person would recognise: their manager, department and site; the active groups they belong to; the
 * devices assigned to them and in use; the incidents they called in and the items they requested in the last
 * `recentDays` days (the question says "in the last 90 days": an older one is not what it asks about).
 */
export function personKnowledge(store: TableStore, userSysId: string, recentDays = 90): PersonKnowledge {
  const user = store.get('sys_user', userSysId);
  if (!user) throw new Error(`no sys_user ${userSysId}`);
  const recent = openedWithin(store.now() - recentDays * DAY);
  const clean = (xs: string[]) => [...new Set(xs.map((x) => x.trim()).filter(Boolean))];
  return {
    manager: clean([name(store, 'sys_user', user.manager)]),
    department: clean([name(store, 'cmn_department', user.department)]),
    location: clean([name(store, 'cmn_location', user.location)]),
    group: clean(
      store
        .query('sys_user_grmember', `user=${userSysId}`)
        .filter(
          (m) => String(store.get('sys_user_group', String(m.group ?? ''))?.active ?? 'true') !== 'false',
        )
        .map((m) => name(store, 'sys_user_group', m.group)),
    ),
    asset: clean(
      store
        .query('alm_hardware', `assigned_to=${userSysId}^install_status!=7`)
        .map((h) => String(h.display_name ?? '')),
    ),
    recent_ticket: clean(
      [
        ...store.query('incident', `caller_id=${userSysId}`),
        ...store.query('sc_req_item', `requested_for=${userSysId}`),
      ]
        .filter(recent)
        .map((r) => String(r.short_description ?? '')),
    ),
  };
}

/**
 * The choice a person with `knows` picks for a question of `kind`: the one they know to be true, else "None of
 * these" when they know the kind, else null (they do not know: the caller decides how to guess).
 */
export function knownAnswer(
  knowledge: Partial<PersonKnowledge>,
  kind: string,
  choices: readonly string[],
): string | null {
  const truths = knowledge[kind as KnowledgeKind];
  if (!truths) return null;
  const hit = choices.find((c) => truths.includes(c.trim()));
  if (hit) return hit;
  return choices.find((c) => c === 'None of these') ?? null;
}
