/**
 * Serialises the submissions of a document that have to wait for the history source. While a
 * document has queued work, every later submission for it queues too, so submissions are
 * sequenced in the order they were given even when some of them wait for a load.
 */

/** One document's queue, as seen by a task running in it. */
export interface QueueTicket {
  /** True once the document was released: the task's state is stale and must not be used. */
  readonly released: boolean;
}

interface Queue extends QueueTicket {
  released: boolean;
  tail: Promise<unknown>;
  pending: number;
}

export class DocumentQueues {
  private readonly queues = new Map<string, Queue>();

  /** True while the document has queued or running tasks. */
  busy(doc: string): boolean {
    return this.queues.has(doc);
  }

  /** Runs `task` after every task queued earlier for the same document. */
  run<T>(doc: string, task: (ticket: QueueTicket) => Promise<T>): Promise<T> {
    const queue = this.queueOf(doc);
    queue.pending++;
    const result = queue.tail.then(() => task(queue));
    queue.tail = result.then(
      () => this.settle(doc, queue),
      () => this.settle(doc, queue),
    );
    return result;
  }

  /** Marks the document's queued tasks stale and lets new submissions start afresh. */
  release(doc: string): void {
    const queue = this.queues.get(doc);
    if (queue === undefined) return;
    queue.released = true;
    this.queues.delete(doc);
  }

  private queueOf(doc: string): Queue {
    let queue = this.queues.get(doc);
    if (queue === undefined) {
      queue = { released: false, tail: Promise.resolve(), pending: 0 };
      this.queues.set(doc, queue);
    }
    return queue;
  }

  private settle(doc: string, queue: Queue): void {
    queue.pending--;
    if (queue.pending === 0 && this.queues.get(doc) === queue) this.queues.delete(doc);
  }
}
