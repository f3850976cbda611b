/**
 * An in-process copy of recently read timeline documents, so GET and the 304 path need no
 * database round trip. It is only trusted while a NOTIFY subscription is live: every stored
 * timeline revision is announced after commit, and a copy older than the newest announced
 * revision is never served or stored. On (re)subscription everything is dropped.
 */
const encoder = new TextEncoder();

export class TimelineCache {
  /** Bodies are kept as UTF-8 bytes: a response then writes them without converting a string. */
  private readonly entries = new Map<string, { revision: number; body: Uint8Array<ArrayBuffer>; storedAt: number }>();
  /** Newest revision announced per patient; a read that raced a write cannot store an older copy. */
  private readonly announced = new Map<string, number>();
  private live = false;

  /**
   * @param maxEntries LRU bound.
   * @param maxAgeMs a copy is served at most this long after it was read, which bounds staleness
   *   even if a notification is lost while the subscription reconnects.
   */
  constructor(
    private readonly maxEntries = 20_000,
    private readonly maxAgeMs = 5_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  static key(cohortId: string, patientId: string): string {
    return `${cohortId}/${patientId}`;
  }

  get enabled(): boolean {
    return this.live;
  }

  /** The cached copy, most recently used kept last (LRU order). */
  get(key: string): { revision: number; body: Uint8Array<ArrayBuffer> } | undefined {
    if (!this.live) return undefined;
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.storedAt > this.maxAgeMs) {
      this.entries.delete(key);
      return undefined;
    }
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  /** Stores a copy read from the database unless a newer revision was announced meanwhile. */
  offer(key: string, revision: number, body: string): void {
    if (!this.live || revision < (this.announced.get(key) ?? -1)) return;
    this.entries.delete(key);
    this.entries.set(key, { revision, body: encoder.encode(body), storedAt: this.now() });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  /** A NOTIFY payload `[cohortId, patientId, revision]` arrived. */
  announce(payload: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      return this.reset();
    }
    if (!Array.isArray(parsed) || parsed.length !== 3) return this.reset();
    const [cohortId, patientId, revision] = parsed as [string, string, number];
    const key = TimelineCache.key(cohortId, patientId);
    this.announced.set(key, Math.max(revision, this.announced.get(key) ?? -1));
    if ((this.entries.get(key)?.revision ?? Infinity) < revision) this.entries.delete(key);
    if (this.announced.size > 4 * this.maxEntries) this.reset();
  }

  /** The subscription is (re)established: anything may have been missed, so start empty. */
  subscribed(): void {
    this.reset();
    this.live = true;
  }

  /** The subscription is gone: serve from the database only. */
  unsubscribed(): void {
    this.live = false;
    this.reset();
  }

  private reset(): void {
    this.entries.clear();
    this.announced.clear();
  }
}
