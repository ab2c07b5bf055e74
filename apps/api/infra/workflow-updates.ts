import { HttpException, HttpStatus, Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { Client, WorkflowUpdateFailedError, WorkflowUpdateStage } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { UpdateDefinition } from '@temporalio/common';
import type { AppConfig } from '../../config/config';
import { EXPIRED_CHANGE, Stamped } from '../../../workflows/common/commands';
import { APP_CONFIG } from './config.module';
import { InjectTemporalClient } from './temporal.module';

/** How long after the change's expiry the API still waits for its answer (the validator's verdict). */
const ANSWER_GRACE_MS = 1_500;
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
    const handle = this.temporal.workflow.getHandle(workflowId);
    try {
      // 1. Until the expiry plus a grace for the validator's verdict: taken, or refused (then never applied).
      const taken = await this.within(expiresAt - Date.now() + ANSWER_GRACE_MS, (signal) =>
        this.temporal.withAbortSignal(signal, () => handle.startUpdate(update, { args: [stamped as Cmd], waitForStage: WorkflowUpdateStage.ACCEPTED })),
      );
      if (taken === TIMED_OUT) {
        throw new ChangeNotTakenException(`the workflow did not take the change within ${this.config.UPDATE_TIMEOUT_MS} ms; it was not applied and will not be; retry`);
      }
      // 2. Accepted: it will be applied, whatever happens to the worker. The caller learns so.
      const result = await this.within(this.config.UPDATE_TIMEOUT_MS, (signal) => this.temporal.withAbortSignal(signal, () => taken.result()));
      if (result === TIMED_OUT) throw new ChangeAcceptedException(taken.updateId);
      return result;
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.type === EXPIRED_CHANGE) {
        throw new ChangeNotTakenException(error.cause.message);
      }
      throw error;
    }
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
