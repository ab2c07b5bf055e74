import path from 'node:path';

// Where the test stacks live; each run gets its own folder so two runs never share a cluster.
export const TEST_DATA_ROOT = path.resolve(__dirname, '..', '..', '.data', 'test');

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
