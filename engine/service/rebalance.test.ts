import { afterEach, describe, expect, it } from 'vitest';
import { TOPICS, type Submission } from '../../common/protocol.ts';
import { MongoEventStore } from '../store/mongo-event-store.ts';
import { spawnEngine, type EngineProcess } from './testing/engine-process.ts';
import {
  concurrentTyping,
  createNamespace,
  kafkaLog,
  logger,
  replay,
  submit,
} from './testing/service-fixture.ts';

const PARTITIONS = 3;
const cleanups: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('engines joining and dying (separate processes, real Kafka and store)', () => {
  it(
    'sequences every submission exactly once while a second engine joins and the first is SIGKILLed',
    // The SIGKILL often lands between the first engine's events insert and its `sources`
    // update; the survivor must then recognise those resubmissions without that summary.
    { timeout: 150_000 },
    async () => {
      const ns = await createNamespace();
      cleanups.push(() => ns.drop());
      const client = kafkaLog(ns.name, PARTITIONS);
      cleanups.push(() => client.close());
      await client.init([TOPICS.submit, TOPICS.sequenced]);
      const engines: EngineProcess[] = [];
      cleanups.push(() => Promise.all(engines.map((e) => e.kill('SIGKILL'))));

      const docs = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];
      const submissions = docs.flatMap((doc) => concurrentTyping(doc, 2, 40));
      const rounds = chunk(
        interleave(docs.map((doc) => submissions.filter((s) => s.doc === doc))),
        12,
      );
      const phase = (from: number, to: number) =>
        (async () => {
          for (const round of rounds.slice(from, to)) {
            await submit(client, round);
            await sleep(50);
          }
        })();

      engines.push(await spawnEngine(ns.name, PARTITIONS));
      await phase(0, 15);
      engines.push(await spawnEngine(ns.name, PARTITIONS));
      await phase(15, 30);
      await engines[0]!.kill('SIGKILL');
      await phase(30, rounds.length);

      const store = new MongoEventStore(ns.db, { logger });
      await store.init();
      for (const doc of docs) {
        const expected = submissions.filter((s) => s.doc === doc);
        await expect
          .poll(() => store.head(doc), { timeout: 60_000, interval: 500 })
          .toBe(expected.length);
        const events = await store.range(doc, 0);
        expect(new Set(events.map((e) => `${e.src}/${e.seq}`)).size).toBe(expected.length);
        expect(() => replay(events)).not.toThrow();
      }
    },
  );
});

function interleave(lists: Submission[][]): Submission[] {
  const out: Submission[] = [];
  for (let i = 0; lists.some((list) => i < list.length); i++) {
    for (const list of lists) if (i < list.length) out.push(list[i]!);
  }
  return out;
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
