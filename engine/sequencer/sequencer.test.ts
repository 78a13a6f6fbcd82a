import { describe, expect, it, vi } from 'vitest';
import type { Submission } from '../../common/protocol.ts';
import { textType } from '../ot/text-type.ts';
import { MemoryHistory } from './memory-history.ts';
import type { Outcome } from './outcome.ts';
import { Sequencer } from './sequencer.ts';
import { DEFAULT_TEST_OPTIONS, Harness, submission } from './testing/harness.ts';

/** A history whose document loads finish only when the test opens them. */
class GatedHistory extends MemoryHistory {
  private readonly gates: Array<() => void> = [];

  override async loadDocument(doc: string) {
    await new Promise<void>((open) => this.gates.push(open));
    return super.loadDocument(doc);
  }

  async loadStarted(index: number): Promise<void> {
    await vi.waitFor(() => expect(this.gates.length).toBeGreaterThan(index));
  }

  /** Lets the `index`th load finish, once it has started. */
  async openLoad(index: number): Promise<void> {
    await this.loadStarted(index);
    this.gates[index]!();
  }
}

function versionOf(outcome: Outcome): number | undefined {
  return outcome.kind === 'rejected' ? undefined : outcome.op.v;
}

function errorOf(outcome: Outcome) {
  return outcome.kind === 'rejected' ? outcome.rejection.error : undefined;
}

/** Sequences `count` one-character inserts from client-a, each on the head before it. */
async function typeAhead(harness: Harness, count: number, firstSeq = 1): Promise<void> {
  for (let i = 0; i < count; i++) {
    const head = harness.sequencer.document('doc-1')?.head ?? 0;
    const outcome = await harness.submit(submission({ v: head, seq: firstSeq + i, op: ['x'] }));
    if (outcome.kind !== 'sequenced') throw new Error(`setup edit ${i} was not sequenced`);
  }
}

describe('versions', () => {
  it('starts a new document at version 0 with empty text', async () => {
    const harness = new Harness();

    const outcome = await harness.submit(submission({ v: 0, seq: 1, op: [] }));

    expect(outcome.kind).toBe('sequenced');
    expect(versionOf(outcome)).toBe(1);
    expect(harness.sequencer.document('doc-1')).toEqual({ head: 1, text: '' });
  });

  it('makes each operation on the head the next version and applies it', async () => {
    const harness = new Harness();

    await harness.submit(submission({ v: 0, seq: 1, op: ['hello'] }));
    const outcome = await harness.submit(submission({ v: 1, seq: 2, op: [5, ' 👋'] }));

    expect(versionOf(outcome)).toBe(2);
    expect(harness.sequencer.document('doc-1')).toEqual({ head: 2, text: 'hello 👋' });
  });

  it('stamps the event with the submission fields and the time it was sequenced', async () => {
    const sequencer = new Sequencer(new MemoryHistory(), DEFAULT_TEST_OPTIONS);

    const outcome = await sequencer.submit(
      { doc: 'doc-1', v: 0, src: 'client-a', seq: 1, op: ['hi'], user: 'ann' },
      1_700_000_000_000,
    );

    expect(outcome).toEqual({
      kind: 'sequenced',
      op: { doc: 'doc-1', v: 1, src: 'client-a', seq: 1, op: ['hi'], user: 'ann', ts: 1.7e12 },
    });
  });

  it('rejects a base version ahead of the head as VERSION_FROM_FUTURE', async () => {
    const harness = new Harness();
    await typeAhead(harness, 1);

    const outcome = await harness.submit(submission({ v: 3, seq: 2, op: ['y'] }));

    expect(errorOf(outcome)?.code).toBe('VERSION_FROM_FUTURE');
    expect(errorOf(outcome)?.message).toMatch(/base version 3 is ahead of .* head version 1/);
  });

  it('rejects a base version further behind than the maximum lag as VERSION_TOO_OLD', async () => {
    const harness = new Harness({ maxVersionLag: 3 });
    await typeAhead(harness, 5);

    const tooOld = await harness.submit(submission({ src: 'b', v: 1, seq: 1, op: ['y'] }));
    const oldest = await harness.submit(submission({ src: 'b', v: 2, seq: 1, op: ['y'] }));

    expect(errorOf(tooOld)?.code).toBe('VERSION_TOO_OLD');
    expect(errorOf(tooOld)?.message).toMatch(/base version 1 is 4 versions behind .* 3 the/);
    expect(versionOf(oldest)).toBe(6);
  });
});

describe('resubmissions', () => {
  it('answers a resubmitted (src, seq) with the event it became, without applying it again', async () => {
    const harness = new Harness();
    const first = await harness.submit(submission({ v: 0, seq: 1, op: ['a'] }));
    await harness.submit(submission({ src: 'client-b', v: 1, seq: 1, op: ['b'] }));

    const again = await harness.submit(submission({ v: 0, seq: 1, op: ['a'] }));

    expect(again.kind).toBe('duplicate');
    expect(again.kind === 'duplicate' && again.op).toBe(first.kind === 'sequenced' && first.op);
    expect(harness.sequencer.document('doc-1')).toEqual({ head: 2, text: 'ba' });
  });

  it('finds the original in the history once it has left the window', async () => {
    const harness = new Harness({ opWindow: 2 });
    await typeAhead(harness, 5);
    const findBySource = vi.spyOn(harness.history, 'findBySource');

    const again = await harness.submit(submission({ v: 0, seq: 1, op: ['x'] }));

    expect(again.kind).toBe('duplicate');
    expect(versionOf(again)).toBe(1);
    expect(findBySource).toHaveBeenCalledWith('doc-1', 'client-a', 1);
  });

  it('recognises a resubmission after the document was dropped and reloaded', async () => {
    const harness = new Harness();
    await typeAhead(harness, 3);
    harness.sequencer.forget('doc-1');

    const again = await harness.submit(submission({ v: 1, seq: 2, op: ['x'] }));

    expect(again.kind).toBe('duplicate');
    expect(versionOf(again)).toBe(2);
    expect(harness.sequencer.document('doc-1')?.head).toBe(3);
  });

  it('refuses a seq that was rejected and then passed over, as BAD_REQUEST', async () => {
    const harness = new Harness();
    await harness.submit(submission({ v: 0, seq: 1, op: ['a'] }));
    await harness.submit(submission({ v: 1, seq: 2, op: [9, 'b'] }));
    await harness.submit(submission({ v: 1, seq: 3, op: [1, 'c'] }));

    const reused = await harness.submit(submission({ v: 2, seq: 2, op: [2, 'b'] }));

    expect(errorOf(reused)).toEqual({
      code: 'BAD_REQUEST',
      message: 'seq 2 from src client-a was already used',
    });
  });

  it('does not count a rejected submission as used, so its retry is sequenced', async () => {
    const harness = new Harness();
    const refused = await harness.submit(submission({ v: 0, seq: 1, op: [4, 'late'] }));

    const retried = await harness.submit(submission({ v: 0, seq: 1, op: ['late'] }));

    expect(refused.kind).toBe('rejected');
    expect(versionOf(retried)).toBe(1);
  });

  it('reads a client it has not seen since the load from the history only once', async () => {
    const harness = new Harness();
    const lastSeq = vi.spyOn(harness.history, 'lastSeq');

    await typeAhead(harness, 4);

    expect(lastSeq).toHaveBeenCalledTimes(1);
  });
});

describe('transform', () => {
  it('transforms an operation on an old version against each later operation in turn', async () => {
    const harness = new Harness();
    await harness.submit(submission({ v: 0, seq: 1, op: ['world'] }));
    const later = [
      submission({ src: 'b', v: 1, seq: 1, op: ['hello '] }),
      submission({ src: 'b', v: 2, seq: 2, op: [11, '!'] }),
      submission({ src: 'b', v: 3, seq: 3, op: [{ d: 1 }, 'H'] }),
    ];
    for (const op of later) await harness.submit(op);
    const transform = vi.spyOn(textType, 'transform');

    const outcome = await harness.submit(submission({ v: 1, seq: 2, op: [{ d: 1 }, 'W'] }));

    expect(transform.mock.calls.map(([, other]) => other)).toEqual(later.map((s) => s.op));
    expect(outcome.kind === 'sequenced' && outcome.op.op).toEqual([6, { d: 1 }, 'W']);
    expect(harness.text('doc-1')).toBe('Hello World!');
    transform.mockRestore();
  });

  it('puts the later submission first when two inserts meet at the same position', async () => {
    const harness = new Harness();
    await harness.submit(submission({ src: 'b', v: 0, seq: 1, op: ['b'] }));

    await harness.submit(submission({ src: 'a', v: 0, seq: 1, op: ['a'] }));

    expect(harness.text('doc-1')).toBe('ab');
  });

  it('reads the operations older than the window from the history', async () => {
    const harness = new Harness({ opWindow: 2 });
    await typeAhead(harness, 5);
    const range = vi.spyOn(harness.history, 'range');

    const outcome = await harness.submit(submission({ src: 'b', v: 1, seq: 1, op: [1, '|'] }));

    expect(range).toHaveBeenCalledWith('doc-1', 1, 3);
    expect(outcome.kind === 'sequenced' && outcome.op.op).toEqual([5, '|']);
    expect(harness.text('doc-1')).toBe('xxxxx|');
  });

  it('refuses to transform across a gap when the history lacks versions the window dropped', async () => {
    const sequencer = new Sequencer(new MemoryHistory(), { ...DEFAULT_TEST_OPTIONS, opWindow: 2 });
    for (let v = 0; v < 4; v++) {
      await sequencer.submit(submission({ v, seq: v + 1, op: ['x'] }), 0);
    }

    const waiting = sequencer.submit(submission({ src: 'b', v: 0, seq: 1, op: ['y'] }), 0);

    await expect(waiting).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(sequencer.document('doc-1')).toEqual({ head: 4, text: 'xxxx' });
  });

  it('stores the transformed operation, not the submitted one', async () => {
    const harness = new Harness();
    await harness.submit(submission({ src: 'b', v: 0, seq: 1, op: ['12345'] }));

    const outcome = await harness.submit(submission({ v: 0, seq: 1, op: ['ab'] }));
    await harness.submit(submission({ src: 'b', v: 2, seq: 2, op: [7, '!'] }));

    expect(outcome.kind === 'sequenced' && outcome.op.op).toEqual(['ab']);
    expect((await harness.history.range('doc-1', 0)).map((event) => event.op)).toEqual([
      ['12345'],
      ['ab'],
      [7, '!'],
    ]);
  });
});

describe('validation', () => {
  it.each<[string, Partial<Submission>, RegExp]>([
    ['a doc id with a slash', { doc: 'a/b' }, /doc must be 1 to 64 letters/],
    ['a doc id longer than 64', { doc: 'd'.repeat(65) }, /doc must be 1 to 64/],
    ['a negative version', { v: -1 }, /v must be a non-negative integer version, got -1/],
    ['a fractional version', { v: 1.5 }, /v must be a non-negative integer/],
    ['an empty src', { src: '' }, /src must be a non-empty string of at most 64/],
    ['a src longer than 64', { src: 's'.repeat(65) }, /src must be a non-empty string/],
    ['a zero seq', { seq: 0 }, /seq must be a positive integer, got 0/],
    ['a string seq', { seq: '1' as unknown as number }, /seq must be a positive integer/],
  ])('rejects %s as BAD_REQUEST', async (_kind, fields, message) => {
    const harness = new Harness();

    const outcome = await harness.submit({ ...submission({ v: 0, seq: 1, op: ['x'] }), ...fields });

    expect(errorOf(outcome)?.code).toBe('BAD_REQUEST');
    expect(errorOf(outcome)?.message).toMatch(message);
  });

  it('rejects a submission that is not an object as BAD_REQUEST', async () => {
    const harness = new Harness();

    const outcome = await harness.submit(null as unknown as Submission);

    expect(outcome).toMatchObject({
      kind: 'rejected',
      rejection: { doc: '', src: '', seq: 0, user: '', error: { code: 'BAD_REQUEST' } },
    });
  });

  it('ignores fields the submission format does not know', async () => {
    const harness = new Harness();
    const withExtra = { ...submission({ v: 0, seq: 1, op: ['x'] }), extra: true };

    const outcome = await harness.submit(withExtra);

    expect(versionOf(outcome)).toBe(1);
  });

  it('rejects a malformed operation as INVALID_OP and leaves the document unchanged', async () => {
    const harness = new Harness();
    await harness.submit(submission({ v: 0, seq: 1, op: ['abc'] }));

    const outcome = await harness.submit(submission({ v: 1, seq: 2, op: [2, 1, 'x'] }));

    expect(outcome).toMatchObject({
      kind: 'rejected',
      rejection: { doc: 'doc-1', src: 'client-a', seq: 2, user: 'ann' },
    });
    expect(errorOf(outcome)?.code).toBe('INVALID_OP');
    expect(harness.sequencer.document('doc-1')).toEqual({ head: 1, text: 'abc' });
  });

  it('rejects an operation that deletes past the end after transform as INVALID_OP', async () => {
    const harness = new Harness();
    await harness.submit(submission({ v: 0, seq: 1, op: ['abcdef'] }));
    await harness.submit(submission({ src: 'b', v: 1, seq: 1, op: [{ d: 3 }] }));

    const outcome = await harness.submit(submission({ v: 1, seq: 2, op: [4, { d: 5 }] }));

    expect(errorOf(outcome)?.message).toBe(
      'the operation deletes past the end of the document (length 3, delete from 1 to 6)',
    );
    expect(harness.text('doc-1')).toBe('def');
  });

  it('rejects an operation that would grow the document past its limit as TOO_LARGE', async () => {
    const harness = new Harness({ maxDocBytes: 8 });
    await harness.submit(submission({ v: 0, seq: 1, op: ['12345'] }));

    const outcome = await harness.submit(submission({ v: 1, seq: 2, op: ['😀'] }));

    expect(errorOf(outcome)?.code).toBe('TOO_LARGE');
    expect(harness.text('doc-1')).toBe('12345');
  });
});

describe('memory and the history source', () => {
  it('continues from the stored history after a document is dropped', async () => {
    const harness = new Harness();
    await harness.submit(submission({ v: 0, seq: 1, op: ['hello'] }));
    await harness.submit(submission({ v: 1, seq: 2, op: [5, ' world'] }));

    harness.sequencer.forget('doc-1');
    const droppedFromMemory = harness.sequencer.loadedDocuments();
    const outcome = await harness.submit(submission({ src: 'b', v: 1, seq: 1, op: ['¡'] }));

    expect(droppedFromMemory).toEqual([]);
    expect(versionOf(outcome)).toBe(3);
    expect(harness.sequencer.document('doc-1')).toEqual({ head: 3, text: '¡hello world' });
    expect(harness.sequencer.loadedDocuments()).toEqual(['doc-1']);
  });

  it('answers a resubmission from the events it loaded when the history lags behind them', async () => {
    const harness = new Harness();
    await typeAhead(harness, 3);
    harness.sequencer.forget('doc-1');
    const lastSeq = vi.spyOn(harness.history, 'lastSeq').mockResolvedValue(0);
    const findBySource = vi.spyOn(harness.history, 'findBySource');

    const again = await harness.submit(submission({ v: 2, seq: 3, op: ['x'] }));

    expect(again.kind).toBe('duplicate');
    expect(versionOf(again)).toBe(3);
    expect(lastSeq).not.toHaveBeenCalled();
    expect(findBySource).not.toHaveBeenCalled();
  });

  it('decides submissions in call order while the first waits for the document to load', async () => {
    const harness = new Harness();

    const outcomes = await Promise.all([
      harness.sequencer.submit(submission({ v: 0, seq: 1, op: ['a'] }), 0),
      harness.sequencer.submit(submission({ v: 1, seq: 2, op: [1, 'b'] }), 0),
      harness.sequencer.submit(submission({ v: 2, seq: 3, op: [2, 'c'] }), 0),
    ]);

    expect(outcomes.map(versionOf)).toEqual([1, 2, 3]);
    expect(harness.text('doc-1')).toBe('abc');
  });

  it('sequences synchronously once the document and the client are in memory', async () => {
    const harness = new Harness();
    const beforeLoad = harness.sequencer.submitNow(submission({ v: 0, seq: 1, op: ['a'] }), 0);
    await harness.submit(submission({ v: 0, seq: 1, op: ['a'] }));

    const afterLoad = harness.sequencer.submitNow(submission({ v: 1, seq: 2, op: [1, 'b'] }), 0);

    expect(beforeLoad).toBeUndefined();
    expect(afterLoad && versionOf(afterLoad)).toBe(2);
  });

  it('fails the submissions waiting for the history when their document is dropped', async () => {
    const harness = new Harness();

    const loading = harness.sequencer.submit(submission({ v: 0, seq: 1, op: ['a'] }), 0);
    const queued = harness.sequencer.submit(submission({ v: 1, seq: 2, op: ['b'] }), 0);
    harness.sequencer.forget('doc-1');

    await expect(loading).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(queued).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(harness.sequencer.loadedDocuments()).toEqual([]);
  });

  it('never runs a dropped submission on the state a later load installed', async () => {
    const history = new GatedHistory();
    const sequencer = new Sequencer(history, DEFAULT_TEST_OPTIONS);
    const first = sequencer.submit(submission({ src: 'a', v: 0, seq: 1, op: ['a'] }), 0);
    await history.loadStarted(0);
    const queued = sequencer.submit(submission({ src: 'b', v: 1, seq: 2, op: [1, 'x'] }), 0);
    sequencer.forget('doc-1');
    const fresh = sequencer.submit(submission({ src: 'b', v: 0, seq: 1, op: ['b'] }), 0);

    await history.openLoad(1);
    await fresh;
    await history.openLoad(0);

    await expect(first).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(queued).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(sequencer.document('doc-1')).toEqual({ head: 1, text: 'b' });
  });

  it('starts afresh for submissions made after a document was dropped mid-load', async () => {
    const harness = new Harness();
    const stale = harness.sequencer.submit(submission({ v: 0, seq: 1, op: ['a'] }), 0);
    harness.sequencer.forget('doc-1');

    const fresh = await harness.submit(submission({ src: 'b', v: 0, seq: 1, op: ['b'] }));

    await expect(stale).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(versionOf(fresh)).toBe(1);
    expect(harness.sequencer.document('doc-1')).toEqual({ head: 1, text: 'b' });
  });
});
