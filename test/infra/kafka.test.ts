import { Kafka, Partitioners, logLevel, type EachMessagePayload } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { kafkaBrokers, uniqueName } from '../services.ts';

const kafka = new Kafka({
  brokers: kafkaBrokers,
  clientId: 'infra-test',
  logLevel: logLevel.NOTHING,
});
const admin = kafka.admin();

afterAll(async () => {
  await admin.disconnect();
});

describe('Kafka (real broker)', () => {
  it('delivers keyed messages through a consumer group, each key on one partition in order', async () => {
    const topic = uniqueName('infra_keyed');
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 4 }], waitForLeaders: true });

    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const keys = ['doc-a', 'doc-b', 'doc-c', 'doc-d', 'doc-e'];
    const sent = keys.flatMap((key) => [1, 2, 3].map((n) => ({ key, value: `${key}:${n}` })));
    await producer.send({ topic, acks: -1, messages: sent });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: uniqueName('infra_group'), maxWaitTimeInMs: 50 });
    const received: Array<{ key: string; value: string; partition: number }> = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const done = new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ partition, message }: EachMessagePayload) => {
          received.push({ key: String(message.key), value: String(message.value), partition });
          if (received.length === sent.length) resolve();
        },
      });
    });
    await done;
    await consumer.disconnect();

    for (const key of keys) {
      const ofKey = received.filter((m) => m.key === key);
      expect(ofKey.map((m) => m.value)).toEqual([1, 2, 3].map((n) => `${key}:${n}`));
      expect(new Set(ofKey.map((m) => m.partition)).size).toBe(1);
    }
    expect(new Set(received.map((m) => m.partition)).size).toBeGreaterThan(1);
  });
});
