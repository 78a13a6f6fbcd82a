/**
 * Runs at most one read per key at a time, and lets callers share reads — but only reads that
 * start after they asked. A caller never receives the result of a read that was already under
 * way when it called, because that read may predate something the caller must see:
 *
 * 1. Alice's socket joins room `doc:x`, then asks for the text of x.
 * 2. A read of x for Bob is already running; it began before operation 7 was stored.
 * 3. Operation 7 is stored and fanned out, before Alice was in the room... or after: either
 *    way, if Alice shared Bob's read she would get version 6 and might never see 7.
 *
 * So callers that arrive during a read share the next one, which starts when it finishes.
 */
interface Slot<T> {
  running: Promise<T> | null;
  queued: Promise<T> | null;
}

export class Coalescer<T> {
  private readonly slots = new Map<string, Slot<T>>();

  /**
   * Resolves with the result of a `read` that started after this call.
   *
   * @example
   * const text = await coalescer.run(doc, () => readText(doc));
   */
  run(key: string, read: () => Promise<T>): Promise<T> {
    const slot = this.slots.get(key) ?? { running: null, queued: null };
    this.slots.set(key, slot);

    if (!slot.running) return this.start(key, slot, read);
    if (!slot.queued) {
      slot.queued = slot.running
        .catch(() => undefined)
        .then(() => {
          slot.queued = null;
          return this.start(key, slot, read);
        });
    }
    return slot.queued;
  }

  private start(key: string, slot: Slot<T>, read: () => Promise<T>): Promise<T> {
    const running = read().finally(() => {
      slot.running = null;
      if (!slot.queued) this.slots.delete(key);
    });
    slot.running = running;
    return running;
  }
}
