/** @type {import('jest').Config} */
module.exports = {
  maxWorkers: 2,
  projects: [
    '<rootDir>/shared',
    '<rootDir>/portal',
    '<rootDir>/verifier-service',
    '<rootDir>/scripts/dev-instance',
    '<rootDir>/scripts/provider-standins',
  ],
};
