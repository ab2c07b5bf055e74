import { Context } from '@temporalio/activity';
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { SA_OPERATION } from '../../workflows/common/search-attributes';
import { countryWorkflowId, CountryInput, operationChangedSignal } from '../../workflows/operation/operation.messages';

/** How many starts or signals are in flight at once against the Temporal frontend. */
const FAN_OUT_CONCURRENCY = 32;

export async function inPool<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(FAN_OUT_CONCURRENCY, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/**
 * Starting 190 country workflows as children of one parent serialises on the parent's history
 * (about 55 ms a child on the dev server); started from an activity with the client they go in
 * parallel, and the parent's history stays small. Ids follow `operation/<id>/country/<ISO>`, so
 * the parent reaches each by id; a retry finds the ones already started.
 */
export function createFanOutActivities(temporal: Client | undefined) {
  const client = (): Client => {
    if (!temporal) throw ApplicationFailure.nonRetryable('this worker has no Temporal client for fan-out', 'FanOutUnavailable');
    return temporal;
  };
  return {
    async startCountryWorkflows(args: { inputs: CountryInput[] }): Promise<number> {
      const { taskQueue } = Context.current().info;
      await inPool(args.inputs, async (input) => {
        try {
          await client().workflow.start('operationCountryWorkflow', {
            workflowId: countryWorkflowId(input.operationId, input.iso),
            taskQueue,
            args: [input],
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
            typedSearchAttributes: [{ key: SA_OPERATION, value: input.operationId }],
          });
        } catch (error) {
          if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        }
      });
      return args.inputs.length;
    },

    /** Tells every running country workflow the operation's phase and instants (absolute, so repeats are harmless). */
    async signalCountryWorkflows(args: { operationId: string; isos: string[]; message: { phase: CountryInput['phase']; instants: CountryInput['instants']; reason?: string } }): Promise<number> {
      let delivered = 0;
      await inPool(args.isos, async (iso) => {
        try {
          await client().workflow.getHandle(countryWorkflowId(args.operationId, iso)).signal(operationChangedSignal, args.message);
          delivered++;
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) throw error; // already ended
        }
      });
      return delivered;
    },
  };
}
