// `npm run eval [-- --concurrency 8 --seed 20261201 --only <text>]`: the identity-assurance evaluation (README,
// "Evaluation"). In one process it starts the ServiceNow stand-in and the real service (PostgreSQL at DATABASE_URL,
// else the embedded PGlite; dev transport; worker; loopback trusted as a proxy; RISK_RESERVED_ADDRESSES at its
// production default), launches Debian's Chromium, and plays the labelled genuine and attack scenarios of
// scenarios.ts, several at a time. It prints one line per scenario and the totals, and writes
// scripts/eval/results/latest.json (git-ignored) and summary.json. It exits non-zero only when the harness itself
// fails (a scenario that could not be played, a server that did not start, bad flags), never on the rates.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { launchBrowsers, type Browsers } from './devices';
import { startEnv, type EvalEnv } from './env';
import { runScenario, type FlowCtx, type Outcome } from './flow';
import { Addresses, People } from './people';
import { summarise, formatLine, formatSummary } from './report';
import { rng } from './rng';
import { SCENARIOS, type Scenario } from './scenarios';

const RESULTS = path.join(__dirname, 'results');
const ROOT = path.join(__dirname, '..', '..');

/** The page scripts the requester's pages load (portal/dist), built as `npm run demo` builds them. */
function buildPortal(): void {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join('portal', 'src', 'build.ts')], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error(`building the portal scripts failed (exit ${r.status})`);
}

function options() {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      concurrency: { type: 'string', default: '8' },
      seed: { type: 'string', default: '20261201' },
      only: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const concurrency = Number(values.concurrency);
  const seed = Number(values.seed);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 32)
    throw new Error('--concurrency: a whole number from 1 to 32');
  if (!Number.isInteger(seed)) throw new Error('--seed: a whole number');
  return { concurrency, seed, only: values.only };
}

async function main(): Promise<number> {
  const opts = options();
  const started = Date.now();
  const picked = SCENARIOS.filter((s) => !opts.only || s.label.includes(opts.only));
  const ordered = [...picked.filter((s) => s.early), ...picked.filter((s) => !s.early)];
  console.log(
    `imper-verify evaluation: ${ordered.length} scenarios (${ordered.filter((s) => s.cls === 'genuine').length} genuine, ${ordered.filter((s) => s.cls === 'attack').length} attacks), ${opts.concurrency} at a time, seed ${opts.seed}`,
  );
  buildPortal();
  let env: EvalEnv | undefined;
  let browsers: Browsers | undefined;
  const outcomes: Outcome[] = [];
  const errors: Array<{ label: string; error: string }> = [];
  try {
    env = await startEnv();
    browsers = await launchBrowsers();
    console.log(
      `service ${env.serviceUrl} (${env.embedded ? 'embedded PGlite' : 'PostgreSQL at DATABASE_URL'}), stand-in ${env.instance.url}, Chromium ${browsers.person.version()}\n`,
    );
    const people = new People(env);
    const base = rng(opts.seed);
    const sent: FlowCtx['sent'] = new Map();
    for (const s of ordered) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      sent.set(s.label, { promise, resolve });
    }
    const shared = { env, browsers, people, addresses: new Addresses(env), sent };
    let nextIndex = 0;
    const worker = async () => {
      for (;;) {
        const i = nextIndex++;
        const s: Scenario | undefined = ordered[i];
        if (!s) return;
        try {
          const o = await runScenario(s, { ...shared, index: i, rng: base.fork(s.label) });
          outcomes.push(o);
          console.log(formatLine(o));
        } catch (err) {
          const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
          errors.push({ label: s.label, error });
          console.log(`HARNESS ERROR  ${s.label}: ${error.split('\n').slice(0, 3).join(' | ')}`);
        }
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency }, worker));
  } finally {
    await browsers?.close().catch((e) => console.error(e));
    await env?.close().catch((e) => console.error(e));
  }
  const order = new Map(SCENARIOS.map((s, i) => [s.label, i]));
  outcomes.sort((a, b) => order.get(a.label)! - order.get(b.label)!);
  const summary = summarise(outcomes, errors, Date.now() - started, opts);
  console.log(`\n${formatSummary(summary)}`);
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(
    path.join(RESULTS, 'latest.json'),
    `${JSON.stringify({ summary, outcomes, errors }, null, 2)}\n`,
  );
  writeFileSync(path.join(RESULTS, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(process.cwd(), path.join(RESULTS, 'latest.json'))}`);
  return errors.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`evaluation failed: ${err instanceof Error ? err.stack : err}`);
    process.exit(1);
  },
);
