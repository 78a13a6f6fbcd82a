/**
 * A freshly started broker creates `__consumer_offsets` and elects leaders during the first
 * seconds, and one restarted on existing data reloads its partitions first; clients that arrive
 * then get "does not host this topic-partition". One round trip through a consumer group before
 * the suite starts lets every test meet a settled broker. The round trip is tried again until
 * it succeeds, for up to about a minute: KafkaJS's `createTopics` gives up on that error at once.
 */
import { ExponentialBackoff, handleAll, retry } from 'cockatiel';
import { Kafka, logLevel } from 'kafkajs';
import { withTimeout } from '../common/with-timeout.ts';

/** How long one round trip may take before it is abandoned and tried again. */
const ROUND_TRIP_TIMEOUT_MS = 20_000;

export async function warmUpKafka(brokers: string[]): Promise<void> {
  const policy = retry(handleAll, {
    maxAttempts: 30,
    backoff: new ExponentialBackoff({ initialDelay: 250, maxDelay: 2_000 }),
  });
  await policy.execute(({ attempt }) => roundTrip(brokers, attempt));
}

async function roundTrip(brokers: string[], attempt: number): Promise<void> {
  const kafka = new Kafka({ brokers, clientId: 'test-warm-up', logLevel: logLevel.NOTHING });
  const topic = `warm_up_${Date.now().toString(36)}_${attempt}`;
  const admin = kafka.admin();
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: topic, maxWaitTimeInMs: 50 });
  try {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ value: 'ready' }] });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received = new Promise<void>((resolve, reject) => {
      consumer.run({ eachMessage: async () => resolve() }).catch(reject);
    });
    await withTimeout(received, ROUND_TRIP_TIMEOUT_MS, 'no message back within the round trip');
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}
