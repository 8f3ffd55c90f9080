/** @type {import('jest').Config} */
module.exports = {
  maxWorkers: 2,
  testTimeout: 30000, // a global option: the per-project preset value is ignored under `projects`
  projects: [
    '<rootDir>/shared',
    '<rootDir>/portal',
    '<rootDir>/verifier-service',
    '<rootDir>/scripts/dev-instance',
    '<rootDir>/scripts/provider-standins',
    '<rootDir>/servicenow-app',
    '<rootDir>/scripts/checks',
  ],
};
