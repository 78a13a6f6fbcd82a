import { describe, expect, it } from 'vitest';
import { commitOf, snapshotOf, testDocId } from '../testing/commits.ts';
import { SqliteProjectionStore } from '../store/sqlite-projection-store.ts';
import { createLogger } from '../../common/logger.ts';
import { latestSnapshots } from './latest-snapshot.ts';

describe('latestSnapshots', () => {
  it('gives the newest snapshot of a document, or null when it has none', async () => {
    const store = new SqliteProjectionStore(':memory:', { logger: createLogger('test', 'silent') });
    await store.init();
    const doc = testDocId();
    const bare = testDocId();
    await store.commit([
      commitOf(doc, 30, { snapshots: [snapshotOf(doc, 10), snapshotOf(doc, 20, 'twenty')] }),
      commitOf(bare, 5),
    ]);

    const source = latestSnapshots(store);

    expect(await source.latestSnapshot(doc)).toEqual({ v: 20, text: 'twenty' });
    expect(await source.latestSnapshot(bare)).toBeNull();
    expect(await source.latestSnapshot(testDocId())).toBeNull();
    await store.close();
  });

  it('prefers the latest text, which is closer to the head than any snapshot', async () => {
    const store = new SqliteProjectionStore(':memory:', { logger: createLogger('test', 'silent') });
    await store.init();
    const doc = testDocId();
    await store.commit([
      commitOf(doc, 27, { snapshots: [snapshotOf(doc, 20)], latest: snapshotOf(doc, 27, 'now') }),
    ]);

    expect(await latestSnapshots(store).latestSnapshot(doc)).toEqual({ v: 27, text: 'now' });
    await store.close();
  });
});
