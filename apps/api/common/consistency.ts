import { OneOf } from './validation';

export const CONSISTENCIES = ['projected', 'live'] as const;
export type Consistency = (typeof CONSISTENCIES)[number];

/** Detail reads come from the read model; a live workflow query costs a workflow task, so it is opt-in. */
export class ConsistencyQuery {
  @OneOf(CONSISTENCIES, {
    optional: true,
    description:
      '`projected` (default): the read model as of the last transition (see `version`, `projectedAt`), clocks computed at read time; ' +
      '`live`: ask the running workflow (slower, competes with the work itself). Falls back to the read model when the workflow has ended.',
  })
  consistency?: Consistency;
}
