/** @type {import('jest').Config} */
module.exports = {
  projects: [
    '<rootDir>/shared',
    '<rootDir>/portal',
    '<rootDir>/verifier-service',
    '<rootDir>/scripts/dev-instance',
    '<rootDir>/scripts/provider-standins',
  ],
};
