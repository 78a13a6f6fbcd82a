import { describe, expect, it } from 'vitest';
import type { SequencedMessage } from '../../common/protocol.ts';
import { groupByDocument } from './group-by-document.ts';

const op = (doc: string, v: number): SequencedMessage => ({
  type: 'op',
  doc,
  v,
  src: 's',
  seq: v,
  op: ['x'],
  user: 'u',
  ts: 0,
});

const reject = (doc: string, seq: number): SequencedMessage => ({
  type: 'reject',
  doc,
  src: 's',
  seq,
  user: 'u',
  error: { code: 'INVALID_OP', message: 'no' },
});

const versions = (runs: { v: number }[][]) => runs.map((run) => run.map((o) => o.v));

describe('groupByDocument', () => {
  it('puts each document’s operations of a batch into one run', () => {
    const batches = groupByDocument([op('a', 1), op('b', 7), op('a', 2), op('a', 3)]);

    expect(versions(batches.get('a')!.runs)).toEqual([[1, 2, 3]]);
    expect(versions(batches.get('b')!.runs)).toEqual([[7]]);
  });

  it('drops versions a redelivered batch repeats and sorts the rest', () => {
    const batches = groupByDocument([op('a', 2), op('a', 1), op('a', 2), op('a', 3), op('a', 1)]);

    expect(versions(batches.get('a')!.runs)).toEqual([[1, 2, 3]]);
  });

  it('splits runs where versions are missing, so every message stays contiguous', () => {
    const batches = groupByDocument([op('a', 1), op('a', 2), op('a', 5), op('a', 6)]);

    expect(versions(batches.get('a')!.runs)).toEqual([
      [1, 2],
      [5, 6],
    ]);
  });

  it('keeps rejections apart from operations, in order', () => {
    const batches = groupByDocument([reject('a', 4), op('a', 1), reject('a', 9), reject('b', 1)]);

    expect(batches.get('a')!.rejections.map((r) => r.seq)).toEqual([4, 9]);
    expect(batches.get('a')!.rejections[0]).not.toHaveProperty('type');
    expect(batches.get('b')).toEqual({
      runs: [],
      rejections: [expect.objectContaining({ seq: 1 })],
    });
  });
});
