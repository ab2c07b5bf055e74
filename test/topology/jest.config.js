/**
 * `npm run test:topology` only: the production topology (real Temporal server on PostgreSQL,
 * two API and two worker processes of the built project). `npm test` ignores test/topology/.
 * @type {import('jest').Config}
 */
module.exports = {
  rootDir: '../..',
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': 'ts-jest' },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/test/topology/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.data/'],
  globalSetup: '<rootDir>/test/topology/global-setup.ts',
  globalTeardown: '<rootDir>/test/topology/global-teardown.ts',
  testTimeout: 300_000,
  reporters: ['default', '<rootDir>/test/setup/summary-reporter.js'],
};
