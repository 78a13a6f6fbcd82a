import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OtClient, type Submission } from './ot-client.ts';
import type { TextOp, WireOp } from './protocol.ts';
import { codePoints, text as type } from './text-type.ts';

/**
 * A reference sequencer, as the design describes it: a submission is transformed against
 * every operation sequenced after its base version, with the submission on the left, and a
 * resubmitted `(src, seq)` is not applied again.
 */
class ReferenceServer {
  text = '';
  readonly history: WireOp[] = [];
  private readonly lastSeq = new Map<string, number>();

  submit({ v, src, seq, op }: Submission): WireOp | null {
    if (seq <= (this.lastSeq.get(src) ?? 0)) return null;
    let transformed = op;
    for (const other of this.history.slice(v)) {
      transformed = type.transform(transformed, other.op, 'left');
    }
    this.text = type.apply(this.text, transformed);
    this.lastSeq.set(src, seq);
    const sequenced = { v: this.history.length + 1, src, seq, op: transformed, user: src, ts: 0 };
    this.history.push(sequenced);
    return sequenced;
  }
}

interface Peer {
  ot: OtClient;
  /** Submissions on their way to the server. */
  outbox: Submission[];
  /** Server messages on their way to this client. */
  inbox: Array<{ op: WireOp } | { reject: number }>;
}

type Step =
  | { kind: 'edit'; peer: number; position: number; insert: string; remove: number }
  | { kind: 'toServer'; peer: number; reject: boolean }
  | { kind: 'toClient'; peer: number };

const steps: fc.Arbitrary<Step[]> = fc.array(
  fc.oneof(
    fc.record({
      kind: fc.constant('edit' as const),
      peer: fc.nat(2),
      position: fc.nat(40),
      insert: fc.string({ unit: fc.constantFrom('a', 'b', 'é', '😀', ' '), maxLength: 3 }),
      remove: fc.nat(3),
    }),
    fc.record({ kind: fc.constant('toServer' as const), peer: fc.nat(2), reject: fc.boolean() }),
    fc.record({ kind: fc.constant('toClient' as const), peer: fc.nat(2) }),
  ),
  { maxLength: 60 },
);

function localEdit(peer: Peer, position: number, insert: string, remove: number): void {
  const length = codePoints(peer.ot.text);
  const at = Math.min(position, length);
  const removed = Math.min(remove, length - at);
  const op: TextOp = type.normalize([at, ...(removed > 0 ? [{ d: removed }] : []), insert]);
  if (op.length === 0) return;
  peer.ot.applyLocal(op);
  send(peer);
}

function send(peer: Peer): void {
  const submission = peer.ot.takeSubmission();
  if (submission) peer.outbox.push(submission);
}

function deliverToServer(server: ReferenceServer, peers: Peer[], author: Peer, reject: boolean) {
  const submission = author.outbox.shift();
  if (!submission) return;
  if (reject) {
    author.inbox.push({ reject: submission.seq });
    return;
  }
  const sequenced = server.submit(submission);
  if (sequenced) for (const peer of peers) peer.inbox.push({ op: sequenced });
}

function deliverToClient(peer: Peer): void {
  const message = peer.inbox.shift();
  if (!message) return;
  if ('reject' in message) {
    expect(peer.ot.rollback(message.reject)).not.toBeNull();
    send(peer);
    return;
  }
  const outcome = peer.ot.receive(message.op);
  expect(outcome.kind).not.toBe('gap');
  if (outcome.kind === 'ack') send(peer);
}

function settle(server: ReferenceServer, peers: Peer[]): void {
  while (peers.some((p) => p.outbox.length > 0 || p.inbox.length > 0)) {
    for (const peer of peers) {
      deliverToServer(server, peers, peer, false);
      deliverToClient(peer);
    }
  }
}

function newPeers(count: number): Peer[] {
  return Array.from({ length: count }, (_, i) => ({
    ot: new OtClient('', 0, `client${i}`, 1),
    outbox: [],
    inbox: [],
  }));
}

describe('OtClient', () => {
  it('converges with the server and every other client, whatever the interleaving', () => {
    fc.assert(
      fc.property(steps, (plan) => {
        const server = new ReferenceServer();
        const peers = newPeers(3);
        for (const step of plan) {
          const peer = peers[step.peer]!;
          if (step.kind === 'edit') localEdit(peer, step.position, step.insert, step.remove);
          else if (step.kind === 'toServer') deliverToServer(server, peers, peer, step.reject);
          else deliverToClient(peer);
        }
        settle(server, peers);

        for (const peer of peers) {
          expect(peer.ot.text).toBe(server.text);
          expect(peer.ot.version).toBe(server.history.length);
          expect(peer.ot.hasUnconfirmed).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps one operation in flight and composes later edits into the next submission', () => {
    const ot = new OtClient('', 0, 'me', 1);
    ot.applyLocal(['a']);
    const first = ot.takeSubmission();
    ot.applyLocal([1, 'b']);
    ot.applyLocal([2, 'c']);

    expect(first).toEqual({ v: 0, src: 'me', seq: 1, op: ['a'] });
    expect(ot.takeSubmission()).toBeNull();

    ot.receive({ v: 1, src: 'me', seq: 1, op: ['a'], user: 'u', ts: 0 });
    expect(ot.takeSubmission()).toEqual({ v: 1, src: 'me', seq: 2, op: [1, 'bc'] });
  });

  it('drops versions it has and reports a gap when a version is skipped', () => {
    const ot = new OtClient('xy', 4, 'me', 1);

    expect(ot.receive({ v: 4, src: 'o', seq: 1, op: ['q'], user: 'o', ts: 0 })).toEqual({
      kind: 'duplicate',
    });
    expect(ot.receive({ v: 6, src: 'o', seq: 2, op: ['q'], user: 'o', ts: 0 })).toEqual({
      kind: 'gap',
      expected: 5,
    });
    expect(ot.text).toBe('xy');
    expect(ot.version).toBe(4);
  });

  it('resubmits the in-flight operation rebased on the versions received meanwhile', () => {
    const ot = new OtClient('abc', 1, 'me', 7);
    ot.applyLocal([3, '!']);
    ot.takeSubmission();
    ot.receive({ v: 2, src: 'other', seq: 1, op: ['>'], user: 'o', ts: 0 });

    expect(ot.inflightSubmission()).toEqual({ v: 2, src: 'me', seq: 7, op: [4, '!'] });
    expect(ot.text).toBe('>abc!');
  });

  it('undoes a refused operation and keeps the edits made after it', () => {
    const ot = new OtClient('hello', 1, 'me', 1);
    ot.applyLocal([{ d: 1 }]); // "ello", in flight
    ot.takeSubmission();
    ot.applyLocal([4, '!']); // "ello!", pending

    const undo = ot.rollback(1);

    expect(undo).not.toBeNull();
    expect(ot.text).toBe('hello!');
    expect(ot.takeSubmission()).toEqual({ v: 1, src: 'me', seq: 2, op: [5, '!'] });
  });

  it('maps positions between the local text and the server version', () => {
    const ot = new OtClient('hello', 3, 'me', 1);
    ot.applyLocal(['>> ']);

    // A cursor at server position 5 (end of "hello") is at 8 in ">> hello".
    expect(ot.positionFromServer(5, 3)).toBe(8);
    expect(ot.positionToServer(8)).toBe(5);

    ot.takeSubmission();
    ot.receive({ v: 4, src: 'me', seq: 1, op: ['>> '], user: 'me', ts: 0 });
    ot.receive({ v: 5, src: 'o', seq: 1, op: [8, '!'], user: 'o', ts: 0 });
    // A cursor sent at version 3 moves through both operations.
    expect(ot.positionFromServer(5, 3)).toBe(8);
    expect(ot.positionFromServer(0, 3)).toBe(0);
  });

  it('refuses a local edit past the end of the text without changing anything', () => {
    const ot = new OtClient('héllo 👋', 1, 'me', 1);

    expect(() => ot.applyLocal([5, { d: 3 }])).toThrow(/reaches code point 8 of a 7-long text/);
    expect(() => ot.applyLocal([8, 'x'])).toThrow();

    expect(ot.text).toBe('héllo 👋');
    expect(ot.length).toBe(7);
    expect(ot.takeSubmission()).toBeNull();
  });
});
