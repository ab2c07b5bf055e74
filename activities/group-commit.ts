/**
 * Group commit: many activities' writes in one database transaction.
 *
 * Each caller enqueues its item and is answered only when the transaction holding it has
 * committed (or failed), so an activity still completes only once its write is durable and a
 * failure still fails (and retries) the activity. While one batch is being written, the next
 * fills up; when the writer is idle an item is written at once, so a quiet worker adds no
 * latency. Why: every audit append takes the hash chain's lock until its transaction commits
 * (activities/audit.ts), so one transaction per transition caps a worker at one transition
 * per lock hold; one transaction for a batch pays that hold once.
 */
export interface GroupCommitOptions<T> {
  /** Writes a batch in one transaction; throws to fail it. */
  write(items: T[]): Promise<void>;
  /** Most items in one transaction. */
  maxBatch: number;
  /** Called with each batch's size and duration (metrics, benchmarks). */
  onBatch?(size: number, ms: number): void;
}

interface Pending<T> {
  item: T;
  resolve(): void;
  reject(error: unknown): void;
}

export class GroupCommit<T> {
  private queue: Pending<T>[] = [];
  private writing = false;

  constructor(private readonly options: GroupCommitOptions<T>) {}

  /** Resolves once the item's transaction has committed. */
  submit(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.options.maxBatch);
        await this.writeBatch(batch);
      }
    } finally {
      this.writing = false;
    }
  }

  private async writeBatch(batch: Pending<T>[]): Promise<void> {
    const started = performance.now();
    try {
      await this.options.write(batch.map((p) => p.item));
      for (const p of batch) p.resolve();
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
      } else {
        // One bad item must not fail its neighbours: write each alone, so only it fails (and retries).
        for (const p of batch) {
          await this.options.write([p.item]).then(p.resolve, p.reject);
        }
      }
    }
    this.options.onBatch?.(batch.length, performance.now() - started);
  }
}
