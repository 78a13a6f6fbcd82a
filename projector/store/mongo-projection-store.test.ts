import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoDocsStore } from '../../gateway/docs/mongo-docs-store.ts';
import { services, uniqueName } from '../../test/services.ts';
import { commitOf, testDocId } from '../testing/commits.ts';
import { MongoProjectionStore } from './mongo-projection-store.ts';
import { describeProjectionStoreContract } from './projection-store.contract.ts';

const client = new MongoClient(services.MONGO_URL);
const databases: string[] = [];

beforeAll(async () => {
  await client.connect();
});

afterAll(async () => {
  for (const name of databases) await client.db(name).dropDatabase();
  await client.close();
});

/** A database of its own per store: generations belong to the whole database. */
function freshStore(): MongoProjectionStore {
  const name = uniqueName('projection_store');
  databases.push(name);
  return new MongoProjectionStore(client.db(name));
}

describeProjectionStoreContract('MongoDB', async () => freshStore());

describe('MongoProjectionStore and the gateway’s docs collection', () => {
  it('raises head and keeps title, owner and acl of a document the gateway created', async () => {
    const dbName = uniqueName('projection_docs');
    databases.push(dbName);
    const docs = new MongoDocsStore({ url: services.MONGO_URL, dbName });
    await docs.init();
    const doc = testDocId();
    await docs.create({ id: doc, title: 'Plans', owner: 'ann' });
    const store = new MongoProjectionStore(client.db(dbName));
    await store.init();

    await store.commit([commitOf(doc, 42, { contributors: ['bob'] })]);

    expect(await docs.get(doc)).toMatchObject({
      title: 'Plans',
      owner: 'ann',
      acl: { ann: 'owner' },
      head: 42,
    });
    expect((await store.metadata(doc))!.contributors).toEqual(['bob']);
    await docs.close();
  });
});
