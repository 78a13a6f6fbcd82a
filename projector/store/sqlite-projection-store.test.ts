import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteDocsStore } from '../../gateway/docs/sqlite-docs-store.ts';
import { commitOf, testDocId } from '../testing/commits.ts';
import { describeProjectionStoreContract } from './projection-store.contract.ts';
import { SqliteProjectionStore } from './sqlite-projection-store.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'projection-store-'));
let files = 0;

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describeProjectionStoreContract(
  'SQLite',
  async () => new SqliteProjectionStore(path.join(dir, `${files++}.sqlite`)),
);

describe('SqliteProjectionStore with the gateway’s documents database', () => {
  it('raises head and updated_at of the gateway’s docs row and leaves its other fields', async () => {
    const docsFile = path.join(dir, 'gateway-docs.sqlite');
    const docs = new SqliteDocsStore(docsFile);
    await docs.init();
    const doc = testDocId();
    await docs.create({ id: doc, title: 'Plans', owner: 'ann' });
    const store = new SqliteProjectionStore(path.join(dir, 'with-gateway.sqlite'), { docsFile });
    await store.init();

    await store.commit([commitOf(doc, 42)]);

    expect(await docs.get(doc)).toMatchObject({ title: 'Plans', owner: 'ann', head: 42 });
    await store.close();
    await docs.close();
  });
});
