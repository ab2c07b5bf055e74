import path from 'node:path';

// Where the test stack lives; written by global setup, read by tests through the environment.
export const TEST_DATA_DIR = path.resolve(__dirname, '..', '..', '.data', 'test');

export interface TestInfra {
  databaseUrl: string;
  temporalAddress: string;
  pgDataDir: string;
  pgPort: number;
}

export function testInfra(): TestInfra {
  const raw = process.env.CYBEROPS_TEST_INFRA;
  if (!raw) throw new Error('test infrastructure is not running: run the tests with `npm test`');
  return JSON.parse(raw) as TestInfra;
}
