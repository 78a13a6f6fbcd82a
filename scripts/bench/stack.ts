/**
 * The full sequencing path: one client pipelines a trace into `ops.submit` on real Kafka, an
 * engine process (`engine/main.ts`) sequences it into the MongoDB-compatible store and
 * publishes on `ops.sequenced`, where the client reads every operation back. One partition,
 * so the figure is what one document's owner sustains.
 */
import fs from 'node:fs';
import { MongoClient } from 'mongodb';
import { createLogger } from '../../common/logger.ts';
import { TOPICS, type SequencedMessage } from '../../common/protocol.ts';
import type { Trace } from '../../common/traces.ts';
import { KafkaLog } from '../../engine/log/kafka-log.ts';
import { NamespacedLog } from '../../engine/log/namespaced-log.ts';
import { spawnEngine } from '../../engine/service/testing/engine-process.ts';
import { servicesUp, serviceUrls } from '../infra/services.ts';
import { traceSubmissions } from './core.ts';
import { LatencyRecorder, round } from './measure.ts';
import { log, type BenchResult } from './report.ts';

const CHUNK = 2_000;

export async function benchStack(trace: Trace): Promise<BenchResult> {
  await servicesUp();
  const urls = serviceUrls();
  const namespace = `bench_${Date.now().toString(36)}`;
  const logger = createLogger('bench', 'warn');
  const client = new NamespacedLog(
    new KafkaLog({ brokers: urls.KAFKA_BROKERS.split(','), partitions: 1, logger }),
    namespace,
  );
  await client.init([TOPICS.submit, TOPICS.sequenced]);
  const engine = await spawnEngine(namespace, 1);
  const mongo = await MongoClient.connect(urls.MONGO_URL);

  try {
    return await replayThrough(client, trace, engine.child.pid!);
  } finally {
    await engine.kill('SIGTERM');
    await client.close();
    await mongo
      .db(namespace)
      .dropDatabase()
      .catch(() => undefined);
    await mongo.close();
  }
}

async function replayThrough(
  client: NamespacedLog,
  trace: Trace,
  enginePid: number,
): Promise<BenchResult> {
  const submissions = traceSubmissions(trace);
  const total = submissions.length;
  const sentAt = new Float64Array(total + 1);
  const latency = new LatencyRecorder(total);
  let received = 0;
  let peakRss = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));

  const reader = await client.consume({
    groupId: 'bench-reader',
    topics: [TOPICS.sequenced],
    fromBeginning: true,
    eachBatch: async (batch) => {
      const now = performance.now();
      for (const message of batch.messages) {
        const sequenced = JSON.parse(message.value) as SequencedMessage;
        if (sequenced.type !== 'op')
          throw new Error(`the engine refused op ${sequenced.seq}: ${sequenced.error.message}`);
        latency.record(now - sentAt[sequenced.seq]!);
        received++;
      }
      if (received >= total) done();
    },
  });

  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, rssOf(enginePid))), 250);
  log(`stack: pipelining ${total} operations through Kafka, the engine and the store…`);
  const started = performance.now();
  for (let i = 0; i < total; i += CHUNK) {
    const chunk = submissions.slice(i, i + CHUNK);
    const now = performance.now();
    for (const s of chunk) sentAt[s.seq] = now;
    await client.produce(
      TOPICS.submit,
      chunk.map((s) => ({ key: s.doc, value: JSON.stringify(s) })),
    );
  }
  await finished;
  const seconds = (performance.now() - started) / 1000;
  clearInterval(rssTimer);
  await reader.stop();

  return {
    name: 'stack',
    ops: total,
    seconds: round(seconds),
    opsPerSec: Math.round(total / seconds),
    latencyMs: latency.summary(),
    peakRssMb: round(Math.max(peakRss, rssOf(enginePid)) / 1024, 1),
    variant:
      'one client pipelining into one partition; engine in its own process; latency from produce to read back on ops.sequenced',
  };
}

/** The resident set size of a process in KiB, from /proc (0 where that is not available). */
function rssOf(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}
