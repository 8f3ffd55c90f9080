// One lint config for the whole workspace.
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');
const importX = require('eslint-plugin-import-x');

// Every workspace declares what it imports (import-x/no-extraneous-dependencies, checked against the nearest
// package.json). Sources may use only their workspace's dependencies (and devDependencies for build-time
// scripts); tests and tooling may also use the root's devDependencies (jest, fast-check, playwright-core…).
const root = __dirname;
const workspaces = [
  'shared',
  'portal',
  'verifier-service',
  'scripts/dev-instance',
  'scripts/provider-standins',
  'servicenow-app',
];
const declaredImports = workspaces.flatMap((ws) => [
  {
    files: [`${ws}/**/*.{ts,js,mjs}`],
    plugins: { 'import-x': importX },
    rules: {
      'import-x/no-extraneous-dependencies': [
        'error',
        {
          packageDir: [`${root}/${ws}`], // The scoped app and the portal's bundler run only at build time.
          devDependencies: ws === 'servicenow-app' ? true : [`${ws}/src/build.ts`, `${ws}/build.mjs`],
          includeTypes: true,
        },
      ],
    },
  },
  {
    files: [`${ws}/test/**`, `${ws}/jest.config.js`],
    rules: {
      'import-x/no-extraneous-dependencies': [
        'error',
        { packageDir: [`${root}/${ws}`, root], devDependencies: true, includeTypes: true },
      ],
    },
  },
]);

module.exports = tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'servicenow-app/src/fluent/generated/**',
      'test-artifacts/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // The root's own tooling (demo, benchmarks, evaluation, launcher, CI checks) uses the root's devDependencies.
    files: ['scripts/*.{ts,mjs,js}', 'scripts/bench/**', 'scripts/eval/**', 'scripts/checks/**', '*.js'],
    plugins: { 'import-x': importX },
    rules: {
      'import-x/no-extraneous-dependencies': [
        'error',
        { packageDir: [root], devDependencies: true, includeTypes: true },
      ],
    },
  },
  ...declaredImports,
  {
    // Migrations are typed Kysely<any> on purpose (they must not depend on the app's current schema types);
    // tests poke at untyped JSON.
    files: ['**/migrations/**', '**/test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
