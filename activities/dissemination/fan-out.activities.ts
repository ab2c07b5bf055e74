import { Context } from '@temporalio/activity';
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { recallRecipientSignal, RecipientInput, recipientWorkflowId } from '../../workflows/dissemination/dissemination.messages';
import { inPool } from '../operation/fan-out.activities';

/**
 * Recipient workflows are started from an activity with the client, as operations start their
 * country workflows: in parallel, with the parent's history small. Ids follow
 * `dissemination/<id>/recipient/<ISO>`, so a retry finds the ones already started.
 */
export function createDisseminationFanOutActivities(temporal: Client | undefined) {
  const client = (): Client => {
    if (!temporal) throw ApplicationFailure.nonRetryable('this worker has no Temporal client for fan-out', 'FanOutUnavailable');
    return temporal;
  };
  return {
    async startRecipientWorkflows(args: { inputs: RecipientInput[] }): Promise<number> {
      const { taskQueue } = Context.current().info;
      await inPool(args.inputs, async (input) => {
        try {
          await client().workflow.start('disseminationRecipientWorkflow', {
            workflowId: recipientWorkflowId(input.disseminationId, input.iso),
            taskQueue,
            args: [input],
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
          });
        } catch (error) {
          if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        }
      });
      return args.inputs.length;
    },

    async signalRecipientWorkflows(args: { disseminationId: string; isos: string[]; reason: string }): Promise<number> {
      let delivered = 0;
      await inPool(args.isos, async (iso) => {
        try {
          await client().workflow.getHandle(recipientWorkflowId(args.disseminationId, iso)).signal(recallRecipientSignal, { reason: args.reason });
          delivered++;
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) throw error; // already ended
        }
      });
      return delivered;
    },
  };
}
