/**
 * Values by key, made once and kept until the cache holds `limit` of them; then it starts over.
 * For look-ups that repeat a few keys many times (a capture's addresses), with memory bounded
 * whatever the input.
 */
export class BoundedCache<K, V> {
  /** Every cache made (they are few, module-wide ones), for `clearAll`. */
  static readonly #all = new Set<BoundedCache<unknown, unknown>>();
  readonly #values = new Map<K, V>();

  constructor(readonly limit: number) {
    BoundedCache.#all.add(this as BoundedCache<unknown, unknown>);
  }

  /**
   * Tests only: empties every cache, so that a test makes its values itself. A mutation run reuses
   * its workers between tests; a value cached by an earlier test would hide a changed `make`.
   */
  static clearAll(): void {
    for (const cache of BoundedCache.#all) cache.#values.clear();
  }

  get size(): number {
    return this.#values.size;
  }

  /** The value for `key`, made by `make` when the cache does not hold it. */
  get(key: K, make: () => V): V {
    let value = this.#values.get(key);
    if (value === undefined) {
      if (this.#values.size >= this.limit) this.#values.clear();
      value = make();
      this.#values.set(key, value);
    }
    return value;
  }
}
