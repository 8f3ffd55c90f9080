// The embedded database (no DATABASE_URL): PGlite over pglite-socket must behave like PostgreSQL for many
// concurrent pg connections — interleaved parameterised queries, isolated transactions, graphile-worker jobs.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(__dirname, '..', '..', '..');

it('runs concurrent queries, isolated transactions and worker jobs correctly', async () => {
  const { stdout } = await promisify(execFile)(
    join(root, 'node_modules', '.bin', 'tsx'),
    [join(__dirname, 'embedded-probe.ts')],
    { cwd: root, timeout: 90_000 },
  );
  const result = JSON.parse(stdout.trim().split('\n').pop()!);
  expect(result).toEqual({
    tables: 2,
    wrongAnswers: 0,
    othersSaw: Array(20).fill(0),
    afterRollback: 0,
    jobsDone: 30,
  });
}, 100_000);
