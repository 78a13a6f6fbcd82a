/**
 * `npx tsx scripts/bench/history.ts [--json] [--store stack|embedded] [--samples N]
 * [--budget-seconds S]`
 *
 * The history benchmark, on the `automerge-paper` trace (259,778 operations) as one document:
 *
 * - `text-at-version`: the text at random versions, read as the HTTP API reads it (nearest
 *   snapshot, then the stored events after it, applied on a rope);
 * - `projector`: the projector service consuming the whole history from `ops.sequenced` and
 *   writing snapshots, revisions and `docs` fields;
 * - `rebuild`: `replay rebuild` of the whole projection from the event store;
 * - `join`: `doc:join` through a gateway that serves texts from the projector's reads.
 *
 * `--store stack` (the default) runs them on the real Kafka and MongoDB-compatible server in
 * scratch databases and topics it removes afterwards; `--store embedded` on the in-process log
 * and SQLite files, where `join` is not measured. Reads and joins stop after `--samples` (50)
 * or `--budget-seconds` (120), whichever comes first; the result's `ops` says how many ran.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient, type Db } from 'mongodb';
import { io } from 'socket.io-client';
import { loadConfig } from '../../common/config.ts';
import { createLogger } from '../../common/logger.ts';
import { TOPICS, type SequencedOp } from '../../common/protocol.ts';
import { loadTrace, traceAvailable, traceMissingReason } from '../../common/traces.ts';
import { KafkaLog } from '../../engine/log/kafka-log.ts';
import { MemoryLog } from '../../engine/log/memory-log.ts';
import { NamespacedLog } from '../../engine/log/namespaced-log.ts';
import type { EventStore } from '../../engine/ports/event-store.ts';
import type { Log } from '../../engine/ports/log.ts';
import { MongoEventStore } from '../../engine/store/mongo-event-store.ts';
import { SqliteEventStore } from '../../engine/store/sqlite-event-store.ts';
import { MongoDocsStore } from '../../gateway/docs/mongo-docs-store.ts';
import { createGateway } from '../../gateway/gateway.ts';
import { DEFAULT_POLICY } from '../../projector/config.ts';
import type { ProjectionStore } from '../../projector/ports/projection-store.ts';
import { HistoryReads } from '../../projector/reads/history-reads.ts';
import { projectDocument } from '../../projector/rebuild/project-document.ts';
import { startProjector } from '../../projector/service/start-projector.ts';
import { MongoProjectionStore } from '../../projector/store/mongo-projection-store.ts';
import { SqliteProjectionStore } from '../../projector/store/sqlite-projection-store.ts';
import { arrayHistory } from '../../projector/testing/array-history.ts';
import { idLookupsUseIndex } from '../../engine/store/mongo-reads.ts';
import { traceEvents } from '../../projector/testing/trace-events.ts';
import { serviceUrls } from '../infra/services.ts';
import type { EventScan } from '../replay/event-scan.ts';
import { MongoEventScan } from '../replay/mongo-event-scan.ts';
import { runRebuild } from '../replay/rebuild.ts';
import type { ReplayContext } from '../replay/replay-context.ts';
import { SqliteEventScan } from '../replay/sqlite-event-scan.ts';
import { LatencyRecorder, PeakRss, round } from './measure.ts';
import { log, printReport, type BenchResult } from './report.ts';

const TRACE = 'automerge-paper';
const DOC = 'automerge-paper';
const OWNER = 'bench';
const logger = createLogger('bench-history', process.env.LOG_LEVEL ?? 'warn');

interface Options {
  json: boolean;
  store: 'stack' | 'embedded';
  samples: number;
  budgetMs: number;
}

/** One place the benchmark runs: its stores, log and scratch space, and how to remove them. */
interface Bench {
  events: EventStore;
  scan: EventScan;
  /** A projection store over fresh, empty storage. */
  projections(name: string): Promise<ProjectionStore>;
  log: Log;
  topic: string;
  /** The stack's database, for a gateway; absent in the embedded mode. */
  db?: Db;
  /** Facts every result carries, so that `--json` says what the table's notes say. */
  facts: Record<string, string>;
  notes: string[];
  close(): Promise<void>;
}

async function main(): Promise<void> {
  const options = parseOptions();
  if (!traceAvailable(TRACE)) throw new Error(traceMissingReason(TRACE));
  const events = traceEvents(loadTrace(TRACE), DOC);
  const bench = options.store === 'stack' ? await openStack() : await openEmbedded();
  try {
    const projections = await loadHistory(bench, events);
    const results = [
      await benchTextAtVersion(bench, projections, events.length, options),
      await benchProjector(bench, events),
      await benchRebuild(bench, projections),
    ];
    if (bench.db) results.push(await benchJoin(bench, projections, events.length, options));
    else
      bench.notes.push('join: measured only on the stack (the gateway needs its MongoDB stores)');
    const withFacts = results.map((result) => ({ ...result, ...bench.facts }));
    printReport('history', withFacts, { json: options.json, notes: bench.notes });
  } finally {
    await bench.close();
  }
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      store: { type: 'string', default: 'stack' },
      samples: { type: 'string', default: '50' },
      'budget-seconds': { type: 'string', default: '120' },
    },
  });
  if (values.store !== 'stack' && values.store !== 'embedded') {
    throw new Error(`--store must be stack or embedded (got ${values.store})`);
  }
  return {
    json: values.json,
    store: values.store,
    samples: Number(values.samples),
    budgetMs: Number(values['budget-seconds']) * 1000,
  };
}

/**
 * The event store gets the history through its batched append, and the projection its
 * snapshots from the same events in memory, so that `text-at-version` has something to read.
 */
async function loadHistory(bench: Bench, events: SequencedOp[]): Promise<ProjectionStore> {
  const started = performance.now();
  for (let i = 0; i < events.length; i += 10_000) {
    const { failures } = await bench.events.append(events.slice(i, i + 10_000));
    if (failures.length > 0) throw new Error(`the scratch event store refused ${DOC}`);
  }
  const projections = await bench.projections('reads');
  await projectDocument(DOC, {
    events: arrayHistory(events),
    target: projections,
    policy: DEFAULT_POLICY,
  });
  const seconds = (performance.now() - started) / 1000;
  log(`loaded ${events.length} events and their snapshots in ${seconds.toFixed(1)} s`);
  return projections;
}

async function benchTextAtVersion(
  bench: Bench,
  projections: ProjectionStore,
  head: number,
  options: Options,
): Promise<BenchResult> {
  const reads = new HistoryReads({ events: bench.events, projections, logger });
  const random = seeded(7);
  const measured = await sampled(options, async () => {
    const v = 1 + Math.floor(random() * head);
    const { text } = await reads.textAt(DOC, v);
    if (v === head && text.length === 0) throw new Error('the latest text came back empty');
  });
  const state = await projections.state(DOC);
  return { name: 'text-at-version', ...measured, snapshots: state?.snapshots.length ?? 0 };
}

/** The projector from an empty projection to the whole history, through the log. */
async function benchProjector(bench: Bench, events: SequencedOp[]): Promise<BenchResult> {
  await bench.log.init([bench.topic]);
  for (let i = 0; i < events.length; i += 5_000) {
    const chunk = events.slice(i, i + 5_000);
    const messages = chunk.map((op) => ({
      key: DOC,
      value: JSON.stringify({ type: 'op', ...op }),
    }));
    await bench.log.produce(bench.topic, messages);
  }
  const store = await bench.projections('projector');
  const rss = new PeakRss();
  const started = performance.now();
  const projector = await startProjector({
    log: bench.log,
    events: bench.events,
    store,
    logger,
    topic: bench.topic,
    groupId: `bench-projector-${Date.now()}`,
  });
  while (((await store.state(DOC))?.head ?? 0) < events.length) {
    rss.sample();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const seconds = (performance.now() - started) / 1000;
  await projector.stop();
  bench.notes.push('projector: timed from joining the consumer group to the last version stored');
  return throughput('projector', events.length, seconds, rss.megabytes);
}

/** `replay rebuild` of everything, as the tool runs it. */
async function benchRebuild(bench: Bench, projections: ProjectionStore): Promise<BenchResult> {
  const context: ReplayContext = {
    config: loadConfig(),
    policy: DEFAULT_POLICY,
    events: bench.events,
    scan: bench.scan,
    store: projections,
    logger,
    embedded: bench.db === undefined,
    estimateEvents: async () => 0,
    close: async () => undefined,
  };
  const rss = new PeakRss();
  const summary = await runRebuild(context, { fromKafka: false, fresh: true });
  return throughput('rebuild', summary.events, summary.seconds, rss.megabytes);
}

/** `doc:join` of the whole document, leaving between joins, on one connection. */
async function benchJoin(
  bench: Bench,
  projections: ProjectionStore,
  head: number,
  options: Options,
): Promise<BenchResult> {
  const config = loadConfig({ ...process.env, AUTH_DEV: '1', MONGO_DB: bench.db!.databaseName });
  const docs = new MongoDocsStore({ url: config.MONGO_URL, dbName: config.MONGO_DB });
  const history = new HistoryReads({ events: bench.events, projections, logger });
  const gateway = createGateway({
    config,
    log: bench.log,
    events: bench.events,
    docs,
    history,
    logger,
    // One connection joins back to back here; the per-socket join limit would pace it.
    limits: { joinsPerSecond: 1_000_000 },
  });
  const url = await gateway.start(0, '127.0.0.1');
  const socket = io(url, { auth: { token: await devToken(url) }, transports: ['websocket'] });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    const measured = await sampled(options, async () => {
      const ack = (await socket.emitWithAck('doc:join', { doc: DOC })) as {
        ok: boolean;
        v?: number;
      };
      if (!ack.ok || ack.v !== head)
        throw new Error(`join answered ${JSON.stringify(ack).slice(0, 200)}`);
      await socket.emitWithAck('doc:leave', { doc: DOC });
    });
    bench.notes.push(
      'join: one connection joining and leaving, join rate limit lifted; the first join is ' +
        'the cold one (read from the store, not the gateway cache)',
    );
    return { name: 'join', ...measured };
  } finally {
    socket.close();
    await gateway.stop();
    await docs.close();
  }
}

async function devToken(url: string): Promise<string> {
  const response = await fetch(`${url}/api/auth/dev`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: OWNER }),
  });
  return ((await response.json()) as { token: string }).token;
}

/** Runs `operation` until enough samples are taken or the time budget is spent. */
async function sampled(options: Options, operation: () => Promise<void>) {
  const latencies = new LatencyRecorder(options.samples);
  const rss = new PeakRss();
  const started = performance.now();
  let ops = 0;
  while (ops < options.samples && performance.now() - started < options.budgetMs) {
    const t0 = performance.now();
    await operation();
    latencies.record(performance.now() - t0);
    rss.sample();
    ops++;
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    ops,
    seconds: round(seconds),
    opsPerSec: round(ops / seconds),
    latencyMs: latencies.summary(),
    peakRssMb: round(rss.megabytes, 0),
  };
}

function throughput(name: string, ops: number, seconds: number, peakRssMb: number): BenchResult {
  return {
    name,
    ops,
    seconds: round(seconds),
    opsPerSec: round(ops / seconds, 0),
    peakRssMb: round(peakRssMb, 0),
  };
}

/** The real Kafka and MongoDB-compatible server, in a scratch database and topic. */
async function openStack(): Promise<Bench> {
  const urls = serviceUrls();
  const client = await MongoClient.connect(urls.MONGO_URL);
  const suffix = `${Date.now().toString(36)}_${process.pid}`;
  const db = client.db(`bench_history_${suffix}`);
  const extraDbs: Db[] = [];
  const events = new MongoEventStore(db, { logger });
  await events.init();
  // A client of its own, closed at once: an open one would keep the process from exiting.
  const docsStore = new MongoDocsStore({ url: urls.MONGO_URL, dbName: db.databaseName });
  await docsStore.create({ id: DOC, title: DOC, owner: OWNER }).catch(() => undefined);
  await docsStore.close();
  const notes: string[] = [`stack: Kafka ${urls.KAFKA_BROKERS}, ${urls.MONGO_URL}`];
  const indexed = await idLookupsUseIndex(db, 'events');
  if (!indexed) notes.push('warning: the server scans its table for every _id lookup');
  // Topics and groups of their own, so that nothing else on the cluster sees the benchmark.
  const brokers = urls.KAFKA_BROKERS.split(',');
  const log = new NamespacedLog(new KafkaLog({ brokers, logger }), `bench_history_${suffix}`);
  return {
    events,
    scan: new MongoEventScan(db),
    db,
    log,
    topic: TOPICS.sequenced,
    facts: { store: 'stack', idLookups: indexed ? 'index' : 'scan' },
    notes,
    async projections(name) {
      const target = name === 'reads' ? db : client.db(`${db.databaseName}_${name}`);
      if (target !== db) extraDbs.push(target);
      const store = new MongoProjectionStore(target, { logger, generationTtlMs: 0 });
      await store.init();
      return store;
    },
    async close() {
      await log.close();
      await deleteTopics(brokers, log.topics([TOPICS.submit, TOPICS.sequenced]));
      for (const scratch of [db, ...extraDbs]) await scratch.dropDatabase();
      await client.close();
    },
  };
}

/** The in-process log and SQLite files in a temporary directory. */
async function openEmbedded(): Promise<Bench> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-history-'));
  const events = new SqliteEventStore(path.join(dir, 'events'), { logger });
  await events.init();
  const stores: ProjectionStore[] = [];
  const memory = new MemoryLog({ partitions: 1, logger });
  return {
    events,
    scan: new SqliteEventScan(path.join(dir, 'events', 'events.sqlite')),
    log: memory,
    topic: TOPICS.sequenced,
    facts: { store: 'embedded' },
    notes: [`embedded: in-process log, SQLite files in ${dir}`],
    async projections(name) {
      const store = new SqliteProjectionStore(path.join(dir, `${name}.sqlite`), { logger });
      await store.init();
      stores.push(store);
      return store;
    },
    async close() {
      await memory.close();
      for (const store of stores) await store.close();
      await events.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function deleteTopics(brokers: string[], topics: string[]): Promise<void> {
  const admin = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const existing = new Set(await admin.listTopics());
  await admin
    .deleteTopics({ topics: topics.filter((t) => existing.has(t)) })
    .catch(() => undefined);
  await admin.disconnect();
}

/** A small seeded generator, so that every run reads the same versions. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
