/**
 * A freshly started broker creates `__consumer_offsets` and elects leaders during the first
 * seconds; clients that arrive then get "does not host this topic-partition". One round trip
 * through a consumer group before the suite starts lets every test meet a settled broker.
 */
import { Kafka, logLevel } from 'kafkajs';

export async function warmUpKafka(brokers: string[]): Promise<void> {
  const kafka = new Kafka({ brokers, clientId: 'test-warm-up', logLevel: logLevel.NOTHING });
  const topic = `warm_up_${Date.now().toString(36)}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: topic, maxWaitTimeInMs: 50 });
  try {
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ value: 'ready' }] });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve) => void consumer.run({ eachMessage: async () => resolve() }));
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
}
