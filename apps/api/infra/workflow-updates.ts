import { HttpException, HttpStatus, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Client, WorkflowUpdateFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { ApplicationFailure } from '@temporalio/common';
import type { UpdateDefinition } from '@temporalio/common';
import type { AppConfig } from '../../config/config';
import { EXPIRED_CHANGE, Stamped } from '../../../workflows/common/commands';
import { APP_CONFIG } from './config.module';
import { InjectTemporalClient } from './temporal.module';

/** How long after the change's expiry the API still waits for its answer (the validator's verdict). */
const ANSWER_GRACE_MS = 1_500;
/** How long to ask the server whether an unfinished change was accepted. */
const STAGE_CHECK_MS = 1_000;
export const RETRY_AFTER_SECONDS = 5;

/** 503 with Retry-After: the workflow did not take the change in time, and now never will. */
export class ChangeNotTakenException extends ServiceUnavailableException {
  readonly retryAfterSeconds = RETRY_AFTER_SECONDS;
  constructor(message: string) {
    super(message);
  }
}

const TIMED_OUT = Symbol('timed out');

/** 202: the workflow accepted the change (it will be applied) but did not finish it in time. */
export class ChangeAcceptedException extends HttpException {
  constructor(updateId: string) {
    super({ message: `the change was accepted and will be applied (update ${updateId}); read the object to see it`, updateId }, HttpStatus.ACCEPTED);
  }
}

/**
 * The one way the API sends a change to a workflow: stamped with when it was received and until
 * when the caller waits (workflow validators refuse it after that), and bounded, so a stopped
 * worker answers 503 instead of hanging; the change is then never applied later.
 */
@Injectable()
export class WorkflowUpdates {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectTemporalClient() private readonly temporal: Client,
  ) {}

  /** Stamps taken when the API starts handling the request. */
  stamp(receivedAt = Date.now()): Required<Stamped> {
    return { receivedAt: new Date(receivedAt).toISOString(), expiresAt: new Date(receivedAt + this.config.UPDATE_TIMEOUT_MS).toISOString() };
  }

  async execute<Ret, Cmd extends Stamped>(workflowId: string, update: UpdateDefinition<Ret, [Cmd]>, command: Cmd): Promise<Ret> {
    const stamped = { ...command, ...(command.expiresAt ? {} : this.stamp()) };
    const expiresAt = Date.parse(stamped.expiresAt!);
    const updateId = randomUUID();
    try {
      // Until the expiry plus a grace for the validator's verdict.
      const result = await this.within(expiresAt - Date.now() + ANSWER_GRACE_MS, (signal) =>
        this.temporal.withAbortSignal(signal, () =>
          this.temporal.workflow.getHandle(workflowId).executeUpdate(update, { args: [stamped as Cmd], updateId }),
        ),
      );
      if (result !== TIMED_OUT) return result;
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.type === EXPIRED_CHANGE) {
        throw new ChangeNotTakenException(error.cause.message);
      }
      throw error;
    }
    // Not finished in time: accepted (it will be applied, whatever happens to the worker) or not
    // (its validator refuses it once the expiry has passed). The server knows which.
    const ACCEPTED = temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED;
    const stage = await this.within(STAGE_CHECK_MS, (signal) =>
      this.temporal.withAbortSignal(signal, () =>
        this.temporal.workflowService.pollWorkflowExecutionUpdate({
          namespace: this.config.TEMPORAL_NAMESPACE,
          updateRef: { workflowExecution: { workflowId }, updateId },
          identity: this.temporal.options.identity,
          waitPolicy: { lifecycleStage: ACCEPTED },
        }),
      ),
    ).catch(() => TIMED_OUT);
    if (typeof stage === 'object' && (stage.stage ?? 0) >= ACCEPTED) throw new ChangeAcceptedException(updateId);
    throw new ChangeNotTakenException(`the workflow did not take the change within ${this.config.UPDATE_TIMEOUT_MS} ms; it was not applied and will not be; retry`);
  }

  private async within<T>(ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T | typeof TIMED_OUT> {
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => {
        abort.abort();
        resolve(TIMED_OUT);
      }, Math.max(0, ms));
    });
    try {
      return await Promise.race([work(abort.signal), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
