/**
 * A very short-lived read-through cache with single flight: concurrent readers of the same key
 * share one database read. For read models that are projections anyway (already up to a second
 * behind their workflow), so a few hundred milliseconds more staleness changes nothing for a
 * reader while many readers cost one query.
 */
export class ReadCache<T> {
  private readonly entries = new Map<string, { at: number; value: Promise<T> }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 1_000,
  ) {}

  get(key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.value;
    const value = load();
    this.entries.set(key, { at: now, value });
    // A failed read is not cached.
    value.catch(() => this.entries.delete(key));
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
