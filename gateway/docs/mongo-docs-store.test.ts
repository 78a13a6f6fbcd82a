import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { services, uniqueName } from '../../test/services.ts';
import { describeDocsStoreContract } from './docs-store.contract.ts';
import { decodeAclKey, encodeAclKey, MongoDocsStore } from './mongo-docs-store.ts';

const dbName = uniqueName('docs_store');

afterAll(async () => {
  const client = await MongoClient.connect(services.MONGO_URL);
  await client.db(dbName).dropDatabase();
  await client.close();
});

describeDocsStoreContract(
  'MongoDB',
  async () => new MongoDocsStore({ url: services.MONGO_URL, dbName }),
);

describe('MongoDocsStore acl keys', () => {
  it('encodes the characters MongoDB-compatible servers refuse in field names, reversibly', () => {
    for (const user of ['ada', 'a.b', '$x', '%2E', 'a%b.c$d']) {
      expect(encodeAclKey(user)).not.toMatch(/[.$]/);
      expect(decodeAclKey(encodeAclKey(user))).toBe(user);
    }
  });
});
