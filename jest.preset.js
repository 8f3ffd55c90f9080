// One jest setup for every package: TypeScript through swc (fast, no type check; `npm run typecheck` does that).
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)sx?$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  // A few dependencies ship only ES modules; jest's CommonJS runtime needs them compiled like our sources.
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition|jose|openid-client|oauth4webapi)/)'],
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 30000,
};
