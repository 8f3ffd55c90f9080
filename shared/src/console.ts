// The console's roles (F8, S18). Every console route declares the roles it allows (`config.console.roles`); one hook
// in the service enforces them (verifier-service/src/plugins/app/console-auth.ts).
//   admin    — settings, users, everything
//   operator — verifications, their details, retrying dead letters
//   auditor  — read-only, including the audit log
export const CONSOLE_ROLES = ['admin', 'operator', 'auditor'] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

export const isConsoleRole = (value: unknown): value is ConsoleRole =>
  typeof value === 'string' && (CONSOLE_ROLES as readonly string[]).includes(value);
