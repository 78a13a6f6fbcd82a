/**
 * The behaviour every `EventStore` adapter must have, as one suite that each adapter's test file
 * runs against a fresh store. The suite uses its own document ids in every test, so one database
 * may serve all of them.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SequencedOp, TextOp } from '../../common/protocol.ts';
import type { EventStore } from './event-store.ts';

export interface EventStoreFixture {
  /** An initialised store. */
  store: EventStore;
  /** Opens and initialises another store over the same data, as a second process would. */
  openPeer(): Promise<EventStore>;
  /** Closes every store of the fixture and removes what it created. */
  cleanup(): Promise<void>;
}

const newDoc = () => `doc_${randomUUID().slice(0, 8)}`;

/** Version v of a document, inserting one character at the end of the text so far. */
function event(doc: string, v: number, src = 'src-a', seq = v, op?: TextOp): SequencedOp {
  const insert: TextOp = v === 1 ? ['x'] : [v - 1, 'x'];
  return { doc, v, src, seq, op: op ?? insert, user: 'alice', ts: 1_700_000_000_000 + v };
}

/** Versions from … to of one document, all from one source with seq = v. */
function history(doc: string, from: number, to: number, src = 'src-a'): SequencedOp[] {
  return Array.from({ length: to - from + 1 }, (_, i) => event(doc, from + i, src));
}

const versions = (events: SequencedOp[]) => events.map((e) => e.v);

export function describeEventStoreContract(
  name: string,
  makeStore: () => Promise<EventStoreFixture>,
): void {
  describe(`${name} — event store contract`, () => {
    let fixture: EventStoreFixture;
    let store: EventStore;

    beforeEach(async () => {
      fixture = await makeStore();
      store = fixture.store;
    });

    afterEach(async () => {
      await fixture.cleanup();
    });

    it('reports a document without events as head 0, with no events and no sources', async () => {
      const doc = newDoc();

      expect(await store.head(doc)).toBe(0);
      expect(await store.range(doc, 0)).toEqual([]);
      expect(await store.lastSeq(doc, 'src-a')).toBe(0);
      expect(await store.findBySource(doc, 'src-a', 1)).toBeNull();
    });

    it('stores every event of a batch and returns each document in version order', async () => {
      const [a, b] = [newDoc(), newDoc()];
      const batch = [event(a, 1), event(b, 1), event(a, 2), event(b, 2), event(a, 3)];

      const result = await store.append(batch);

      expect(result).toEqual({ appended: batch, failures: [] });
      expect(await store.head(a)).toBe(3);
      expect(await store.head(b)).toBe(2);
      expect(await store.range(a, 0)).toEqual([batch[0], batch[2], batch[4]]);
      expect(await store.range(b, 0)).toEqual([batch[1], batch[3]]);
    });

    it('returns exactly the versions with from < v <= to, up to the head', async () => {
      const doc = newDoc();
      await store.append(history(doc, 1, 5));

      expect(versions(await store.range(doc, 0, 3))).toEqual([1, 2, 3]);
      expect(versions(await store.range(doc, 2, 4))).toEqual([3, 4]);
      expect(versions(await store.range(doc, 3))).toEqual([4, 5]);
      expect(versions(await store.range(doc, 3, 100))).toEqual([4, 5]);
      expect(await store.range(doc, 4, 4)).toEqual([]);
      expect(await store.range(doc, 4, 2)).toEqual([]);
      expect(await store.range(doc, 5)).toEqual([]);
      expect(await store.range(doc, 9)).toEqual([]);
    });

    it('finds the head wherever it ends, also from stores that did not write it', async () => {
      const doc = newDoc();
      const reader = await fixture.openPeer();
      for (const head of [1, 2, 3, 7, 8, 9, 33, 100]) {
        const current = await store.head(doc);
        if (head > current) await store.append(history(doc, current + 1, head));

        expect(await store.head(doc)).toBe(head);
        expect(await reader.head(doc)).toBe(head);
      }
      const fresh = await fixture.openPeer();
      expect(await fresh.head(doc)).toBe(100);
    });

    it('returns long ranges whole, whether bounded or open', async () => {
      const doc = newDoc();
      const stored = history(doc, 1, 60);
      await store.append(stored);

      expect(await store.range(doc, 0)).toEqual(stored);
      expect(await store.range(doc, 5, 50)).toEqual(stored.slice(5, 50));
      expect(await store.range(doc, 10)).toEqual(stored.slice(10));
      expect(await store.range(doc, 50)).toEqual(stored.slice(50));
      expect(await store.range(doc, 20, 90)).toEqual(stored.slice(20));
    });

    it('keeps the highest seq of every source, separately per document', async () => {
      const [a, b] = [newDoc(), newDoc()];
      await store.append([event(a, 1, 'src-a', 1), event(a, 2, 'src-b', 1)]);
      await store.append([event(a, 3, 'src-a', 2), event(b, 1, 'src-a', 7)]);

      expect(await store.lastSeq(a, 'src-a')).toBe(2);
      expect(await store.lastSeq(a, 'src-b')).toBe(1);
      expect(await store.lastSeq(b, 'src-a')).toBe(7);
      expect(await store.lastSeq(b, 'src-b')).toBe(0);
    });

    it('finds the event each submission became, the latest and older ones', async () => {
      const doc = newDoc();
      const stored = [
        event(doc, 1, 'src-a', 1),
        event(doc, 2, 'src-b', 1),
        event(doc, 3, 'src-a', 2),
      ];
      await store.append(stored);

      expect(await store.findBySource(doc, 'src-a', 2)).toEqual(stored[2]);
      expect(await store.findBySource(doc, 'src-a', 1)).toEqual(stored[0]);
      expect(await store.findBySource(doc, 'src-b', 1)).toEqual(stored[1]);
      expect(await store.findBySource(doc, 'src-b', 2)).toBeNull();
      expect(await store.findBySource(newDoc(), 'src-a', 1)).toBeNull();
    });

    it('refuses an existing (doc, v) as a conflict, stops that document and writes the others', async () => {
      const [fenced, other] = [newDoc(), newDoc()];
      await store.append(history(fenced, 1, 2));
      const zombie = [event(fenced, 2, 'src-z', 1), event(fenced, 3, 'src-z', 2)];
      const elsewhere = event(other, 1, 'src-o', 1);

      const result = await store.append([zombie[0]!, elsewhere, zombie[1]!]);

      expect(result.appended).toEqual([elsewhere]);
      expect(result.failures).toEqual([{ event: zombie[0], reason: 'conflict' }]);
      expect(await store.head(fenced)).toBe(2);
      expect(await store.lastSeq(fenced, 'src-z')).toBe(0);
      expect(await store.range(other, 0)).toEqual([elsewhere]);
    });

    it('writes nothing of a document after its refused event, however long the batch', async () => {
      // Servers write long batches in pieces (FerretDB 1.24 a transaction per 1,000 documents,
      // and as released it went on with the next piece after a refusal): the stop must hold
      // across them, or versions past a zombie's would be stored on top of its history.
      const doc = newDoc();
      const planted = event(doc, 1_501, 'src-z', 1);
      await (await fixture.openPeer()).append([planted]);
      const batch = history(doc, 1, 3_000);

      const result = await store.append(batch);

      expect(result.appended).toEqual(batch.slice(0, 1_500));
      expect(result.failures).toEqual([{ event: batch[1_500], reason: 'conflict' }]);
      expect(await store.range(doc, 1_500, 1_501)).toEqual([planted]);
      expect(await store.range(doc, 1_501, 3_000)).toEqual([]);
      expect(await store.range(doc, 2_000, 3_000)).toEqual([]);
    });

    it('refuses an already sequenced (doc, src, seq) as a duplicate after writing what precedes it', async () => {
      const doc = newDoc();
      await store.append([event(doc, 1, 'src-a', 1)]);
      const batch = [
        event(doc, 2, 'src-b', 1),
        event(doc, 3, 'src-a', 1),
        event(doc, 4, 'src-b', 2),
      ];

      const result = await store.append(batch);

      expect(result.appended).toEqual([batch[0]]);
      expect(result.failures).toEqual([{ event: batch[1], reason: 'duplicate' }]);
      expect(await store.head(doc)).toBe(2);
      expect(await store.lastSeq(doc, 'src-b')).toBe(1);
    });

    it('reports an event that is already stored, at the same version, as a duplicate', async () => {
      const doc = newDoc();
      const first = event(doc, 1, 'src-a', 1);
      await store.append([first]);

      const again = await store.append([{ ...first }]);

      expect(again).toEqual({ appended: [], failures: [{ event: first, reason: 'duplicate' }] });
    });

    it('lets exactly one of two stores win each version when both append at once', async () => {
      const doc = newDoc();
      const peer = await fixture.openPeer();
      const outcomes = [];

      for (let v = 1; v <= 12; v++) {
        outcomes.push(
          ...(await Promise.all([
            store.append([event(doc, v, 'src-left', v)]),
            peer.append([event(doc, v, 'src-right', v)]),
          ])),
        );
      }

      const appended = outcomes.flatMap((o) => o.appended);
      const failures = outcomes.flatMap((o) => o.failures);
      expect(versions(appended).sort((x, y) => x - y)).toEqual(versions(history(doc, 1, 12)));
      expect(failures).toHaveLength(12);
      expect(failures.every((f) => f.reason === 'conflict')).toBe(true);
      const stored = await peer.range(doc, 0);
      expect(stored).toEqual([...appended].sort((x, y) => x.v - y.v));
    });

    it('returns unicode operations, sources and users exactly as appended', async () => {
      const doc = newDoc();
      const ops: TextOp[] = [
        ['héllo wörld 👩‍👩‍👧 漢字 עברית'],
        [6, { d: 'wörld' }, 'e\u0301 😀🇫🇷'],
        [2, { d: 3 }, '\u0000\t\n"\\'],
      ];
      const batch = ops.map((op, i) => ({
        ...event(doc, i + 1, 'tab/😀', i + 1, op),
        user: 'zoë',
      }));

      await store.append(batch);

      expect(await store.range(doc, 0)).toEqual(batch);
      expect(await store.findBySource(doc, 'tab/😀', 3)).toEqual(batch[2]);
    });

    it('refuses a batch whose versions of one document are not consecutive, writing nothing', async () => {
      const doc = newDoc();

      await expect(store.append([event(doc, 1), event(doc, 3)])).rejects.toThrow(/follows 1/);
      await expect(store.append([event('not/a/doc', 1)])).rejects.toThrow(/not a valid id/);
      expect(await store.head(doc)).toBe(0);
    });

    it('can be initialised again without losing anything', async () => {
      const doc = newDoc();
      await store.append(history(doc, 1, 2));

      await store.init();

      expect(await store.head(doc)).toBe(2);
    });

    it('keeps what was appended for a store opened after it closed, and refuses work once closed', async () => {
      const doc = newDoc();
      const stored = history(doc, 1, 3);
      await store.append(stored);

      await store.close();
      const reopened = await fixture.openPeer();

      expect(await reopened.range(doc, 0)).toEqual(stored);
      expect(await reopened.lastSeq(doc, 'src-a')).toBe(3);
      await expect(store.head(doc)).rejects.toThrow(/closed|not open/);
    });

    // Last, so that servers without usable indexes do not scan its data in the other tests.
    it('writes a large batch over several documents completely', async () => {
      const docs = [newDoc(), newDoc(), newDoc()];
      const batch = docs.flatMap((doc, i) => history(doc, 1, 400, `src-${i}`));

      const result = await store.append(batch);

      expect(result.failures).toEqual([]);
      expect(result.appended).toHaveLength(1200);
      for (const [i, doc] of docs.entries()) {
        expect(await store.head(doc)).toBe(400);
        expect(await store.lastSeq(doc, `src-${i}`)).toBe(400);
      }
      expect(await store.range(docs[1]!, 0)).toEqual(batch.slice(400, 800));
    });
  });
}
