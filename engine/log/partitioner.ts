/**
 * Which partition a key lands in. Both log adapters use KafkaJS's default partitioner — the
 * Java client's murmur2 hash of the key modulo the partition count — so a document maps to the
 * same partition in the embedded log, in KafkaJS and in any Java or librdkafka producer set to
 * murmur2, and tests and drills written against one adapter hold for the other.
 */
import { Partitioners, type PartitionMetadata } from 'kafkajs';

/** The partitioner the Kafka producer is built with; `partitionOf` must agree with it. */
export const createPartitioner = Partitioners.DefaultPartitioner;

const partitioner = createPartitioner();
const metadataByCount = new Map<number, PartitionMetadata[]>();

/** The partition of `key` in a topic of `partitionCount` partitions. */
export function partitionForKey(topic: string, key: string, partitionCount: number): number {
  return partitioner({
    topic,
    partitionMetadata: metadataFor(partitionCount),
    message: { key, value: null },
  });
}

/** Keyed messages depend only on the number of partitions, not on their leaders. */
function metadataFor(partitionCount: number): PartitionMetadata[] {
  let metadata = metadataByCount.get(partitionCount);
  if (!metadata) {
    metadata = Array.from({ length: partitionCount }, (_, partitionId) => ({
      partitionErrorCode: 0,
      partitionId,
      leader: 0,
      replicas: [0],
      isr: [0],
      offlineReplicas: [],
    }));
    metadataByCount.set(partitionCount, metadata);
  }
  return metadata;
}
