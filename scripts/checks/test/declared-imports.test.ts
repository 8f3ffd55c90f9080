// Every workspace declares what it imports (issue 7): eslint's import-x/no-extraneous-dependencies runs in
// `npm test` over the whole tree. These tests plant imports through the same configuration to show the rule
// refuses what a workspace does not declare, and accepts what it does.
import { join } from 'node:path';
import { ESLint } from 'eslint';

const root = join(__dirname, '..', '..', '..');
// The repository's own config, handed over directly (ESLint would load the file with a dynamic import, which
// jest's CommonJS runtime does not offer).
const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  overrideConfig: require(join(root, 'eslint.config.js')),
});

async function problems(file: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'import-x/no-extraneous-dependencies')
    .map((m) => m.message);
}

describe('declared imports', () => {
  it('fails on a planted import the workspace does not declare', async () => {
    // `pino` is installed (the service depends on it) but the stand-in does not declare it.
    expect(
      await problems(
        'scripts/dev-instance/src/planted.ts',
        "import pino from 'pino';\nexport default pino;\n",
      ),
    ).toEqual([expect.stringContaining("'pino' should be listed in the project's dependencies")]);
  });

  it('fails on a development-only dependency imported by shipped code', async () => {
    // `pino-pretty` is a devDependency of the service: its sources may not import it.
    expect(
      await problems(
        'verifier-service/src/planted.ts',
        "import pretty from 'pino-pretty';\nexport default pretty;\n",
      ),
    ).toEqual([expect.stringContaining('pino-pretty')]);
  });

  it('fails on a type-only import of an undeclared package', async () => {
    expect(
      await problems(
        'shared/src/planted.ts',
        "import type { Kysely } from 'kysely';\nexport type K = Kysely<never>;\n",
      ),
    ).toHaveLength(1);
  });

  it('accepts declared dependencies, workspace packages and Node built-ins', async () => {
    expect(
      await problems(
        'verifier-service/src/planted.ts',
        "import { jwtVerify } from 'jose';\nimport { Type } from '@sinclair/typebox';\nimport { ERROR_CODES } from '@imper/shared';\nimport { createHash } from 'node:crypto';\nexport default [jwtVerify, Type, ERROR_CODES, createHash];\n",
      ),
    ).toEqual([]);
  });

  it("lets tests use the root's test tooling", async () => {
    expect(
      await problems(
        'verifier-service/test/planted.test.ts',
        "import fc from 'fast-check';\nexport default fc;\n",
      ),
    ).toEqual([]);
  });
});
