import { describe, expect, it } from 'vitest';
import type { SequencedOp } from '../../common/protocol.ts';
import { orderedBatches } from './event-scan.ts';

const event = (doc: string, v: number): SequencedOp => ({
  doc,
  v,
  src: 's',
  seq: v,
  op: ['x'],
  user: 'ann',
  ts: v,
});

async function collect(events: SequencedOp[], size: number): Promise<string[][]> {
  async function* stream() {
    yield* events;
  }
  const batches: string[][] = [];
  for await (const batch of orderedBatches(stream(), size)) {
    batches.push(batch.map((e) => `${e.doc}${e.v}`));
  }
  return batches;
}

describe('orderedBatches', () => {
  it('passes interleaved documents through in batches, each document in version order', async () => {
    const events = [event('a', 1), event('b', 1), event('a', 2), event('b', 2), event('a', 3)];

    expect(await collect(events, 2)).toEqual([['a1', 'b1'], ['a2', 'b2'], ['a3']]);
  });

  it('holds an event back until the versions before it have come', async () => {
    const events = [event('a', 1), event('a', 3), event('b', 1), event('a', 4), event('a', 2)];

    expect((await collect(events, 10)).flat()).toEqual(['a1', 'b1', 'a2', 'a3', 'a4']);
  });

  it('releases what still waits at the end in order, leaving the gap for the consumer to find', async () => {
    const events = [event('a', 1), event('a', 4), event('a', 3)];

    expect((await collect(events, 10)).flat()).toEqual(['a1', 'a3', 'a4']);
  });
});
