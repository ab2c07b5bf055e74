import { loadInfra, stopInfra } from './support/infra';

// The logs stay under .data/topology/ for reading until the next run; the database goes now.
export default async function globalTeardown(): Promise<void> {
  await stopInfra(loadInfra());
}
