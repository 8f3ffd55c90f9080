// The console dashboard (F8): a period (default the last 30 days, whole UTC days), the tenant's aggregates, and
// what follows from them (pass rate, every day of the period present, zero when nothing happened).
import type { Deps } from '../context';
import { AppError } from '../errors';
import { dashboardAggregates, type DashboardRows } from '../repositories/dashboard';

export const DEFAULT_DAYS = 30;
export const MAX_DAYS = 366;
const DAY = 86_400_000;

export interface Period {
  /** first day, YYYY-MM-DD */
  from: string;
  /** last day (inclusive), YYYY-MM-DD */
  to: string;
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

export function resolvePeriod(now: Date, from?: string, to?: string): Period {
  const end = to ?? isoDay(now);
  const start = from ?? isoDay(new Date(Date.parse(`${end}T00:00:00Z`) - (DEFAULT_DAYS - 1) * DAY));
  const a = Date.parse(`${start}T00:00:00Z`);
  const b = Date.parse(`${end}T00:00:00Z`);
  if (Number.isNaN(a) || Number.isNaN(b) || isoDay(new Date(a)) !== start || isoDay(new Date(b)) !== end)
    throw new AppError('VALIDATION_FAILED', 'from and to must be dates (YYYY-MM-DD)');
  if (b < a) throw new AppError('VALIDATION_FAILED', 'from must not be after to');
  if ((b - a) / DAY + 1 > MAX_DAYS)
    throw new AppError('VALIDATION_FAILED', `the period is at most ${MAX_DAYS} days`);
  return { from: start, to: end };
}

export interface Dashboard extends Omit<DashboardRows, 'perDay'> {
  period: Period;
  perDay: DashboardRows['perDay'];
  /** passed / completed, 0..1; null when nothing completed */
  passRate: number | null;
}

export async function loadDashboard(deps: Deps, tenantId: string, period: Period): Promise<Dashboard> {
  const from = new Date(`${period.from}T00:00:00Z`);
  const to = new Date(Date.parse(`${period.to}T00:00:00Z`) + DAY);
  const rows = await dashboardAggregates(deps.db, tenantId, from, to);
  const byDay = new Map(rows.perDay.map((d) => [d.day, d]));
  const perDay: Dashboard['perDay'] = [];
  for (let t = from.getTime(); t < to.getTime(); t += DAY) {
    const day = isoDay(new Date(t));
    perDay.push(byDay.get(day) ?? { day, total: 0, passed: 0 });
  }
  const { completed, passed } = rows.outcomes;
  return { ...rows, period, perDay, passRate: completed ? passed / completed : null };
}
