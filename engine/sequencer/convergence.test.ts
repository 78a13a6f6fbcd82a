import fc from 'fast-check';
import { insert, remove } from 'ot-text-unicode';
import { describe, expect, it } from 'vitest';
import type { SequencedOp, Submission } from '../../common/protocol.ts';
import { Harness } from './testing/harness.ts';
import { OtClient } from './testing/ot-client.ts';

/**
 * One step of a run: what a client types, or which message the network delivers next. Clients
 * send as soon as they may (after an edit or an acknowledgement), while the network delays
 * every message by a random number of steps.
 */
type Step =
  | { kind: 'insert'; client: number; at: number; text: string }
  | { kind: 'delete'; client: number; at: number; count: number }
  | { kind: 'deliverSubmission'; client: number }
  | { kind: 'redeliverSubmission'; client: number }
  | { kind: 'deliverOp'; client: number }
  | { kind: 'forgetDocument' };

const client = fc.nat({ max: 3 });
const text = fc
  .array(fc.constantFrom('a', 'b', 'é', '😀', '👋🏽', ' ', '\n'), { minLength: 1, maxLength: 3 })
  .map((parts) => parts.join(''));

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('insert'), client, at: fc.nat(), text }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('delete'),
      client,
      at: fc.nat(),
      count: fc.integer({ min: 1, max: 3 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('deliverSubmission'), client }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('redeliverSubmission'), client }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('deliverOp'), client }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('forgetDocument') }) },
);

/** Clients, a sequencer and the in-order channels between them. */
class Simulation {
  readonly harness: Harness;
  readonly clients: OtClient[];
  private readonly toServer: Submission[][];
  private readonly delivered: (Submission | undefined)[];
  private readonly toClient: SequencedOp[][];

  constructor(clientCount: number, opWindow: number) {
    this.harness = new Harness({ opWindow });
    this.clients = Array.from({ length: clientCount }, (_, i) => new OtClient(`c${i}`, 'doc-1'));
    this.toServer = this.clients.map(() => []);
    this.delivered = this.clients.map(() => undefined);
    this.toClient = this.clients.map(() => []);
  }

  async run(step: Step): Promise<void> {
    if (step.kind === 'forgetDocument') return this.harness.sequencer.forget('doc-1');
    const i = step.client % this.clients.length;
    const client = this.clients[i]!;
    switch (step.kind) {
      case 'insert':
      case 'delete':
        this.edit(client, step);
        return this.send(i);
      case 'deliverSubmission':
        await this.deliverSubmission(i);
        return;
      case 'redeliverSubmission':
        return this.redeliverSubmission(i);
      case 'deliverOp':
        this.deliverOp(i);
        return;
    }
  }

  /** Delivers everything still in flight until every client is idle and up to date. */
  async settle(): Promise<void> {
    for (let round = 0; round < 1_000; round++) {
      let moved = false;
      for (let i = 0; i < this.clients.length; i++) {
        moved = (await this.deliverSubmission(i)) || moved;
        moved = this.deliverOp(i) || moved;
      }
      if (!moved && this.clients.every((c) => c.idle)) return;
    }
    throw new Error('the simulation did not settle');
  }

  private edit(client: OtClient, step: Step & { kind: 'insert' | 'delete' }): void {
    const length = [...client.text].length;
    if (step.kind === 'insert') return client.edit(insert(step.at % (length + 1), step.text));
    if (length === 0) return;
    const at = step.at % length;
    client.edit(remove(at, Math.min(step.count, length - at)));
  }

  private send(i: number): void {
    const submission = this.clients[i]!.flush();
    if (submission) this.toServer[i]!.push(submission);
  }

  private async deliverSubmission(i: number): Promise<boolean> {
    const submission = this.toServer[i]!.shift();
    if (submission === undefined) return false;
    this.delivered[i] = submission;
    await this.process(i, submission);
    return true;
  }

  /** A retry after a lost acknowledgement: the same (src, seq) reaches the server again. */
  private async redeliverSubmission(i: number): Promise<void> {
    const submission = this.delivered[i];
    if (submission) await this.process(i, submission);
  }

  private async process(i: number, submission: Submission): Promise<void> {
    const outcome = await this.harness.submit(submission);
    if (outcome.kind === 'rejected') {
      throw new Error(`rejected: ${JSON.stringify(outcome.rejection.error)}`);
    }
    if (outcome.kind === 'sequenced') for (const inbox of this.toClient) inbox.push(outcome.op);
    else this.toClient[i]!.push(outcome.op);
  }

  private deliverOp(i: number): boolean {
    const event = this.toClient[i]!.shift();
    if (event === undefined) return false;
    this.clients[i]!.receive(event);
    this.send(i);
    return true;
  }
}

describe('convergence', () => {
  it('brings every client to the sequencer text under any interleaving of edits and delivery', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 4 }),
        fc.constantFrom(1, 3, 1_000),
        fc.array(step, { minLength: 20, maxLength: 120 }),
        async (clientCount, opWindow, steps) => {
          const simulation = new Simulation(clientCount, opWindow);

          for (const s of steps) await simulation.run(s);
          await simulation.settle();

          // A run may end just after the document was dropped; the core would load it again.
          const { harness, clients } = simulation;
          const server =
            harness.sequencer.document('doc-1') ?? (await harness.history.loadDocument('doc-1'));
          for (const c of clients) {
            expect(c.text).toBe(server.text);
            expect(c.version).toBe(server.head);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
