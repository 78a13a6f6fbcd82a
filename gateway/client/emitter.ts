/**
 * A small typed event emitter that runs in browsers and Node alike. A listener that throws
 * does not stop the others, nor the SDK: its error is reported on the console.
 */
export type Listener<T> = (event: T) => void;

export class Emitter<Events extends { [K in keyof Events]: unknown }> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();

  /**
   * Calls `listener` for every `event` until `off`.
   *
   * @example
   * doc.on('change', ({ op, source }) => editor.apply(op));
   */
  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): this {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener as Listener<never>);
    this.listeners.set(event, set);
    return this;
  }

  /**
   * Stops calling `listener`.
   *
   * @example
   * doc.off('change', onChange);
   */
  off<K extends keyof Events>(event: K, listener: Listener<Events[K]>): this {
    this.listeners.get(event)?.delete(listener as Listener<never>);
    return this;
  }

  /**
   * Calls `listener` for the next `event` only.
   *
   * @example
   * doc.once('ack', ({ v }) => console.log('stored as version', v));
   */
  once<K extends keyof Events>(event: K, listener: Listener<Events[K]>): this {
    const wrapper: Listener<Events[K]> = (value) => {
      this.off(event, wrapper);
      listener(value);
    };
    return this.on(event, wrapper);
  }

  protected emit<K extends keyof Events>(event: K, value: Events[K]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      try {
        (listener as Listener<Events[K]>)(value);
      } catch (error) {
        console.error(`a "${String(event)}" listener threw`, error);
      }
    }
  }
}
