import { describe, expect, it } from 'vitest';
import { CodePointRope } from '../../engine/ot/code-point-rope.ts';
import { DEFAULT_POLICY, type ProjectionPolicy } from '../config.ts';
import { eventsOf, typing } from '../testing/events.ts';
import { DamagedHistoryError } from './damaged-history.ts';
import { DocumentProjection } from './document-projection.ts';
import { emptyState, type ProjectionCommit } from './records.ts';

const policy: ProjectionPolicy = {
  snapshotEvery: 4,
  snapshotSeconds: 60,
  revisionPauseSeconds: 300,
  revisionJoinSeconds: 30,
};

function project(edits: Parameters<typeof eventsOf>[1], options = policy) {
  const projection = new DocumentProjection(emptyState('d'), new CodePointRope(), options);
  for (const event of eventsOf('d', edits)) projection.apply(event);
  return { projection, commit: projection.takeCommit()! };
}

describe('DocumentProjection', () => {
  it('applies operations in code points, astral characters included', () => {
    const { projection } = project([{ op: ['a👋c'] }, { op: [2, { d: 1 }, 'b'] }]);

    expect(projection.currentText()).toBe('a👋b');
    expect(projection.head).toBe(2);
  });

  it('snapshots every N operations with the text of exactly that version', () => {
    const { commit } = project(typing('abcdefghij'));

    expect(commit.snapshots.map((s) => [s.v, s.text])).toEqual([
      [4, 'abcd'],
      [8, 'abcdefgh'],
    ]);
    expect(commit.state.snapshots).toEqual([4, 8]);
  });

  it('snapshots at the first operation T seconds after the last snapshot, however few came between', () => {
    const slow = { ...policy, snapshotEvery: 1_000, snapshotSeconds: 30 };
    const { commit } = project(
      [
        { op: ['a'] },
        { op: [1, 'b'], after: 20_000 },
        { op: [2, 'c'], after: 10_000 },
        { op: [3, 'd'] },
      ],
      slow,
    );

    expect(commit.snapshots.map((s) => [s.v, s.text])).toEqual([[3, 'abc']]);
  });

  it('summarises a run of one author’s edits as one open revision', () => {
    const { commit } = project([...typing('hello'), { op: [3, { d: 2 }] }]);

    expect(commit.revisions).toEqual([]);
    expect(commit.state.open).toMatchObject({
      n: 1,
      from: 1,
      to: 6,
      authors: ['ann'],
      inserted: 5,
      deleted: 2,
    });
  });

  it('closes a revision after a pause and when someone else takes over later', () => {
    const { commit } = project([
      ...typing('ab'),
      { op: [2, 'c'], after: 301_000 },
      { op: [3, 'd'], user: 'bob', after: 45_000 },
    ]);

    expect(commit.revisions.map((r) => [r.n, r.from, r.to, r.authors])).toEqual([
      [1, 1, 2, ['ann']],
      [2, 3, 3, ['ann']],
    ]);
    expect(commit.state.open).toMatchObject({ n: 3, from: 4, to: 4, authors: ['bob'] });
    expect(commit.state.closedRevisions).toBe(2);
  });

  it('keeps people typing at the same time in one revision that lists them all', () => {
    const { commit } = project([
      { op: ['a'], user: 'ann' },
      { op: [1, 'b'], user: 'bob', after: 2_000 },
      { op: [2, 'c'], user: 'ann', after: 1_000 },
      { op: [3, 'd'], user: 'bob', after: 1_000 },
    ]);

    expect(commit.revisions).toEqual([]);
    expect(commit.state.open).toMatchObject({ from: 1, to: 4, authors: ['ann', 'bob'] });
  });

  it('reports contributors once per batch and starts afresh after takeCommit', () => {
    const projection = new DocumentProjection(emptyState('d'), new CodePointRope(), DEFAULT_POLICY);
    const [first, second, third] = eventsOf('d', [
      { op: ['a'], user: 'ann' },
      { op: [1, 'b'], user: 'bob' },
      { op: [2, 'c'], user: 'ann' },
    ]);
    projection.apply(first!);
    projection.apply(second!);
    projection.apply(third!);
    const commit = projection.takeCommit() as ProjectionCommit;

    expect(commit.contributors).toEqual(['ann', 'bob']);
    expect(projection.takeCommit()).toBeNull();
  });

  it('refuses an operation that is not the next version', () => {
    const projection = new DocumentProjection(emptyState('d'), new CodePointRope(), policy);
    const [, second] = eventsOf('d', typing('ab'));

    expect(() => projection.apply(second!)).toThrow(/version 2 applied at head 0/);
  });

  it('reports an operation that does not fit the text as damaged history at its version', () => {
    const projection = new DocumentProjection(emptyState('d'), new CodePointRope(), policy);
    const [event] = eventsOf('d', [{ op: [5, 'x'] }]);

    expect(() => projection.apply(event!)).toThrow(DamagedHistoryError);
  });
});
