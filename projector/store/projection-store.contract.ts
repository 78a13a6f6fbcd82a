/**
 * The contract every ProjectionStore adapter keeps. Each adapter's test file runs this suite
 * with a factory for a fresh, empty store.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GenerationChangedError, type ProjectionStore } from '../ports/projection-store.ts';
import { commitOf, revisionOf, snapshotOf, testDocId } from '../testing/commits.ts';

export function describeProjectionStoreContract(
  name: string,
  makeStore: () => Promise<ProjectionStore>,
) {
  describe(`ProjectionStore contract: ${name}`, () => {
    let store: ProjectionStore;
    let doc: string;

    beforeEach(async () => {
      store = await makeStore();
      await store.init();
      doc = testDocId();
    });

    afterEach(async () => {
      await store.close();
    });

    it('answers null for a document it has projected nothing of', async () => {
      expect(await store.state(doc)).toBeNull();
      expect(await store.snapshot(doc, 1)).toBeNull();
      expect(await store.latest(doc)).toBeNull();
      expect(await store.revision(doc, 1)).toBeNull();
      expect(await store.metadata(doc)).toBeNull();
    });

    it('reads back exactly the snapshots, revisions, state and docs fields it committed', async () => {
      const commit = commitOf(doc, 25, {
        snapshots: [snapshotOf(doc, 10, 'héllo 👋'), snapshotOf(doc, 20)],
        revisions: [revisionOf(doc, 1), revisionOf(doc, 2, { authors: ['ann', 'bob'] })],
        contributors: ['ann', 'bob'],
      });

      await store.commit([commit]);

      expect(await store.state(doc)).toEqual(commit.state);
      expect(await store.snapshot(doc, 10)).toEqual(snapshotOf(doc, 10, 'héllo 👋'));
      expect(await store.snapshot(doc, 20)).toEqual(snapshotOf(doc, 20));
      expect(await store.snapshot(doc, 15)).toBeNull();
      expect(await store.revision(doc, 2)).toEqual(revisionOf(doc, 2, { authors: ['ann', 'bob'] }));
      expect(await store.revision(doc, 3)).toBeNull();
      expect(await store.metadata(doc)).toEqual({
        doc,
        head: 25,
        updatedAt: 1_025,
        contributors: ['ann', 'bob'],
      });
    });

    it('keeps one latest text per document, replaced by each commit that carries one', async () => {
      const other = testDocId();
      await store.commit([
        commitOf(doc, 5, { latest: snapshotOf(doc, 5, 'five 👋') }),
        commitOf(other, 2, { latest: snapshotOf(other, 2) }),
      ]);
      expect(await store.latest(doc)).toEqual(snapshotOf(doc, 5, 'five 👋'));

      await store.commit([commitOf(doc, 9, { latest: snapshotOf(doc, 9, 'nine') })]);
      await store.commit([commitOf(doc, 10)]);

      expect(await store.latest(doc)).toEqual(snapshotOf(doc, 9, 'nine'));
      expect(await store.latest(other)).toEqual(snapshotOf(other, 2));
    });

    it('writes several documents in one commit call, each independently', async () => {
      const other = testDocId();
      await store.commit([commitOf(doc, 3), commitOf(other, 7, { contributors: ['cy'] })]);

      expect((await store.state(doc))!.head).toBe(3);
      expect((await store.state(other))!.head).toBe(7);
      expect((await store.metadata(other))!.contributors).toEqual(['cy']);
    });

    it('stores a redelivered commit once, with the same records', async () => {
      const commit = commitOf(doc, 12, {
        snapshots: [snapshotOf(doc, 10)],
        revisions: [revisionOf(doc, 1)],
      });

      await store.commit([commit]);
      await store.commit([commit]);

      expect(await store.state(doc)).toEqual(commit.state);
      expect(await store.snapshot(doc, 10)).toEqual(snapshotOf(doc, 10));
      expect(await store.revision(doc, 1)).toEqual(revisionOf(doc, 1));
    });

    it('never lowers the docs head or updatedAt, and keeps every contributor in first-seen order', async () => {
      await store.commit([commitOf(doc, 30, { contributors: ['ann', 'bob'] })]);
      await store.commit([commitOf(doc, 20, { contributors: ['cy', 'ann'] })]);

      expect(await store.metadata(doc)).toEqual({
        doc,
        head: 30,
        updatedAt: 1_030,
        contributors: ['ann', 'bob', 'cy'],
      });
    });

    it('refuses a commit computed against a generation that is not live, writing nothing', async () => {
      const live = await store.refreshGeneration();

      const stale = store.commit([commitOf(doc, 5)], { generation: live + 1 });

      await expect(stale).rejects.toBeInstanceOf(GenerationChangedError);
      expect(await store.state(doc)).toBeNull();
      await store.commit([commitOf(doc, 5)], { generation: live });
      expect((await store.state(doc))!.head).toBe(5);
    });

    it('lists every document it has a state or docs fields for', async () => {
      const other = testDocId();
      await store.commit([commitOf(doc, 1), commitOf(other, 2)]);

      expect(await store.documents()).toEqual(expect.arrayContaining([doc, other]));
    });

    it('removes one document’s records and resets its docs head, and keeps another’s', async () => {
      const other = testDocId();
      const records = {
        snapshots: [snapshotOf(doc, 4)],
        revisions: [revisionOf(doc, 1)],
        latest: snapshotOf(doc, 50),
      };
      await store.commit([
        commitOf(doc, 50, records),
        commitOf(other, 5, { snapshots: [snapshotOf(other, 4)] }),
      ]);

      await store.removeDocument(doc);
      await store.commit([commitOf(doc, 3, { contributors: ['bob'] })]);

      expect(await store.state(doc)).toEqual(commitOf(doc, 3).state);
      expect(await store.snapshot(doc, 4)).toBeNull();
      expect(await store.latest(doc)).toBeNull();
      expect(await store.revision(doc, 1)).toBeNull();
      expect(await store.metadata(doc)).toMatchObject({ head: 3, contributors: ['bob'] });
      expect(await store.snapshot(other, 4)).toEqual(snapshotOf(other, 4));
    });

    describe('generations', () => {
      it('keeps a staging generation invisible until it is published', async () => {
        await store.commit([commitOf(doc, 10, { snapshots: [snapshotOf(doc, 5, 'old')] })]);
        const staging = await store.openStaging('policy-a');

        await staging.commit([
          commitOf(doc, 8, {
            snapshots: [snapshotOf(doc, 5, 'new')],
            latest: snapshotOf(doc, 8, 'new'),
          }),
        ]);

        expect((await store.state(doc))!.head).toBe(10);
        expect(await store.latest(doc)).toBeNull();
        expect(await staging.latest(doc)).toEqual(snapshotOf(doc, 8, 'new'));
        expect((await store.snapshot(doc, 5))!.text).toBe('old');
        expect((await staging.state(doc))!.head).toBe(8);
        expect((await staging.snapshot(doc, 5))!.text).toBe('new');
      });

      it('publishes a staging generation: reads follow it, and the docs head is set exactly', async () => {
        await store.commit([commitOf(doc, 10, { contributors: ['ann', 'zed'] })]);
        const before = await store.refreshGeneration();
        const staging = await store.openStaging('policy-a');
        await staging.commit([commitOf(doc, 8, { snapshots: [snapshotOf(doc, 5, 'new')] })]);

        const previous = await staging.publish();
        const live = await store.refreshGeneration();

        expect(previous).toBe(before);
        expect(live).toBe(staging.generation);
        expect((await store.state(doc))!.head).toBe(8);
        expect((await store.snapshot(doc, 5))!.text).toBe('new');
        expect(await store.metadata(doc)).toMatchObject({ head: 8, contributors: ['ann'] });
      });

      it('drops a replaced generation, but never the live one', async () => {
        await store.commit([commitOf(doc, 3, { snapshots: [snapshotOf(doc, 2)] })]);
        const staging = await store.openStaging('policy-a');
        await staging.commit([commitOf(doc, 3)]);
        const previous = await staging.publish();
        await store.refreshGeneration();

        await store.dropGeneration(previous);

        await expect(store.dropGeneration(staging.generation)).rejects.toThrow(/live/);
        expect((await store.state(doc))!.head).toBe(3);
      });

      it('resumes an interrupted staging generation under the same policy, and only then', async () => {
        const first = await store.openStaging('policy-a');
        await first.commit([commitOf(doc, 4)]);

        const resumed = await store.openStaging('policy-a');
        expect(resumed.generation).toBe(first.generation);
        expect((await resumed.state(doc))!.head).toBe(4);

        const changed = await store.openStaging('policy-b');
        expect(changed.generation).not.toBe(first.generation);
        expect(await changed.state(doc)).toBeNull();

        const fresh = await store.openStaging('policy-b', { fresh: true });
        expect(fresh.generation).not.toBe(changed.generation);
      });

      it('refuses commits against the old generation once another is published', async () => {
        const old = await store.refreshGeneration();
        const staging = await store.openStaging('policy-a');
        await staging.publish();

        await expect(store.commit([commitOf(doc, 1)], { generation: old })).rejects.toBeInstanceOf(
          GenerationChangedError,
        );
      });
    });
  });
}
