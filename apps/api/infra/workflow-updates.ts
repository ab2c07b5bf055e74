import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { Client, WorkflowUpdateFailedError } from '@temporalio/client';
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

  async execute<Ret, Cmd extends Stamped>(workflowId: string, update: UpdateDefinition<Ret, [Cmd]>, command: Cmd, updateId?: string): Promise<Ret> {
    const stamped = { ...command, ...(command.expiresAt ? {} : this.stamp()) };
    const waitMs = Math.max(0, Date.parse(stamped.expiresAt!) - Date.now()) + ANSWER_GRACE_MS;
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        abort.abort();
        reject(new ChangeNotTakenException(`the workflow did not take the change within ${this.config.UPDATE_TIMEOUT_MS} ms; it was not applied and will not be; retry`));
      }, waitMs);
    });
    try {
      return await Promise.race([
        this.temporal.withAbortSignal(abort.signal, () =>
          this.temporal.workflow.getHandle(workflowId).executeUpdate(update, { args: [stamped as Cmd], updateId: updateId || undefined }),
        ),
        timeout,
      ]);
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.type === EXPIRED_CHANGE) {
        throw new ChangeNotTakenException(error.cause.message);
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }
}
