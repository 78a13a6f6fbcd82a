import { MongoBulkWriteError, MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { services, uniqueName } from '../services.ts';

const client = new MongoClient(services.MONGO_URL);
const db = client.db(uniqueName('infra'));

beforeAll(async () => {
  await client.connect();
});

afterAll(async () => {
  await db.dropDatabase();
  await client.close();
});

describe('MongoDB-compatible store (real server)', () => {
  it('refuses a duplicate of a compound unique key with error code 11000 and keeps the rest', async () => {
    const events = db.collection('events');
    await events.createIndex({ doc: 1, v: 1 }, { unique: true });
    await events.createIndex({ doc: 1, src: 1, seq: 1 }, { unique: true });
    await events.insertMany([
      { doc: 'a', v: 1, src: 's1', seq: 1 },
      { doc: 'a', v: 2, src: 's1', seq: 2 },
    ]);

    const attempt = events.insertMany(
      [
        { doc: 'a', v: 2, src: 's2', seq: 1 },
        { doc: 'b', v: 1, src: 's1', seq: 1 },
      ],
      { ordered: false },
    );

    const error = await attempt.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MongoBulkWriteError);
    expect((error as MongoBulkWriteError).code).toBe(11000);
    expect((error as MongoBulkWriteError).writeErrors).toHaveLength(1);
    const stored = await events.find({}, { projection: { _id: 0 } }).toArray();
    expect(stored).toHaveLength(3);
    expect(stored).toContainEqual({ doc: 'b', v: 1, src: 's1', seq: 1 });
  });
});
