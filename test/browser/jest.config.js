// Browser tests (`npm run test:browser`): the real stack (embedded PostgreSQL, Temporal dev
// server, worker, API serving the built console) driven by the system's Chromium.
const base = require('../../jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  rootDir: '../..',
  testMatch: ['<rootDir>/test/browser/**/*.browser.ts'],
  testTimeout: 180_000,
};
