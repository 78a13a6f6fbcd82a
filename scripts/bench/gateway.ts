/**
 * `npx tsx scripts/bench/gateway.ts [--json] [--clients 200] [--typists 20] [--rate 5]
 * [--seconds 60]`
 *
 * The gateway benchmark: one document, many SDK clients over two gateway processes, a few of
 * them typing. An engine and two gateways run as their own processes on the local services,
 * in a namespace of their own (topic prefix, database, Redis channels); the clients live in
 * this process, over Socket.IO's websocket transport, half on each gateway.
 *
 * Every edit inserts a unique marker at a random place between earlier markers. Its latency is
 * measured from the moment it is typed to the moment each of the other clients applies it, so
 * it covers the gateway, Kafka, the sequencer, the event store, the fan-out through Kafka and
 * Redis, and the SDK. CPU time and peak memory of each process come from /proc.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../common/config.ts';
import { spawnEngine, type EngineProcess } from '../../engine/service/testing/engine-process.ts';
import { connect, type CollabClient, type CollabDocument } from '../../gateway/client/index.ts';
import { createDoc, devToken, share } from '../../test/gateway/helpers.ts';
import {
  dropNamespace,
  spawnGateway,
  type GatewayProcess,
} from '../../test/gateway/gateway-process.ts';
import { seededRandom, sleep, type Random } from '../../test/gateway/seeded-random.ts';
import { servicesDown, servicesUp } from '../infra/services.ts';
import { LatencyRecorder, round } from './measure.ts';
import { log, printReport, type BenchResult } from './report.ts';

interface GatewayBenchOptions {
  json: boolean;
  clients: number;
  typists: number;
  /** Edits per second per typist. */
  rate: number;
  seconds: number;
}

interface ProcessFigures {
  name: string;
  pid: number;
  /** CPU time (user + system) spent while the clients typed and the edits drained. */
  cpuSeconds: number;
  /** That CPU time as a share of one core over the same wall-clock time. */
  cpuPercent: number;
  /** The process's peak resident set size (VmHWM). */
  peakRssMb: number;
}

/** Clients connected at the same time during set-up. */
const SETUP_CONCURRENCY = 20;
/** How long the edits may take to reach everyone once the typing stops. */
const DRAIN_TIMEOUT_MS = 30_000;
/** The event-loop delay is sampled by a timer this often; the histogram counts its period too. */
const LOOP_RESOLUTION_MS = 10;
/** How often the typists' schedule is checked. */
const TICK_MS = 10;
const MARKER = /\[([0-9a-z]+)\]/g;

function parseOptions(): GatewayBenchOptions {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      clients: { type: 'string', default: '200' },
      typists: { type: 'string', default: '20' },
      rate: { type: 'string', default: '5' },
      seconds: { type: 'string', default: '60' },
    },
  });
  const positive = (name: string, value: string) => {
    const number = Number(value);
    if (!(number > 0)) throw new Error(`--${name} must be a positive number, not ${value}`);
    return number;
  };
  const options = {
    json: values.json,
    clients: positive('clients', values.clients),
    typists: positive('typists', values.typists),
    rate: positive('rate', values.rate),
    seconds: positive('seconds', values.seconds),
  };
  if (options.typists > options.clients) throw new Error('--typists exceeds --clients');
  return options;
}

/** The engine, the gateways and the namespace they share; `stop` ends only what it started. */
interface Deployment {
  namespace: string;
  engine: EngineProcess;
  gateways: GatewayProcess[];
  stop(): Promise<void>;
}

async function deploy(): Promise<Deployment> {
  const started = await servicesUp();
  if (started.length > 0) log(`started services: ${started.join(', ')}`);
  const namespace = `benchgw_${Date.now().toString(36)}`;
  const partitions = loadConfig().KAFKA_PARTITIONS;
  const jwtSecret = `bench-${namespace}-${Math.random().toString(36).slice(2)}`;
  log(`starting an engine and two gateways in namespace ${namespace}…`);
  const engine = await spawnEngine(namespace, partitions);
  const gateways: GatewayProcess[] = [];
  const stop = async () => {
    await Promise.all([...gateways, engine].map((p) => p.kill('SIGTERM')));
    await dropNamespace(namespace).catch((error: unknown) => log(`cleanup: ${String(error)}`));
    if (started.length > 0) await servicesDown(started);
  };
  try {
    for (let i = 0; i < 2; i++) {
      gateways.push(await spawnGateway({ namespace, partitions, jwtSecret }));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { namespace, engine, gateways, stop };
}

/** One SDK client and its handle on the benchmark's document. */
interface BenchClient {
  client: CollabClient;
  doc: CollabDocument;
}

/**
 * Roles, tokens and connections for every client. Typists are editors, the others viewers;
 * clients alternate between the gateways. Roles are granted one at a time and all before anyone
 * connects: on FerretDB, concurrent role changes to one document can overwrite each other, and
 * a gateway that has just cached the document's roles may hear of a grant made through the
 * other gateway only after the grantee's first request.
 */
async function connectClients(
  urls: string[],
  docId: string,
  ownerToken: string,
  options: GatewayBenchOptions,
): Promise<BenchClient[]> {
  const user = (i: number) => `bench${i}`;
  for (let i = 0; i < options.clients; i++) {
    await share(urls[0]!, ownerToken, docId, user(i), i < options.typists ? 'editor' : 'viewer');
  }
  const clients: BenchClient[] = new Array(options.clients);
  await inParallel(options.clients, async (i) => {
    const url = urls[i % urls.length]!;
    const client = connect(url, {
      token: await devToken(url, user(i)),
      socket: { transports: ['websocket'] },
    });
    clients[i] = { client, doc: await client.open(docId) };
  });
  return clients;
}

/** Runs `task(0)` … `task(count - 1)`, `SETUP_CONCURRENCY` at a time. */
async function inParallel(count: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) await task(i);
  };
  await Promise.all(Array.from({ length: Math.min(count, SETUP_CONCURRENCY) }, worker));
}

/** Closes the clients connected so far (set-up may have stopped half-way). */
function closeAll(clients: Array<BenchClient | undefined>): void {
  for (const bench of clients) bench?.client.close();
}

/** Inserts a marker at a random place between two markers, never inside one. */
function typeMarker(doc: CollabDocument, marker: string, random: Random): void {
  const text = doc.text;
  let at = random.between(0, text.length);
  if (at > 0 && text[at - 1] !== ']') at = text.indexOf(']', at) + 1;
  doc.insert(at, marker);
}

async function run(options: GatewayBenchOptions): Promise<BenchResult> {
  const deployment = await deploy();
  let clients: BenchClient[] = [];
  const interrupted = () => {
    log('interrupted: stopping what the benchmark started…');
    closeAll(clients);
    void deployment.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  try {
    const urls = deployment.gateways.map((g) => g.url);
    const ownerToken = await devToken(urls[0]!, 'bench-owner');
    const docId = await createDoc(urls[0]!, ownerToken, 'gateway benchmark');
    log(`connecting ${options.clients} clients over ${urls.length} gateways…`);
    clients = await connectClients(urls, docId, ownerToken, options);
    return await measure(deployment, clients, options);
  } finally {
    process.off('SIGINT', interrupted);
    closeAll(clients);
    await deployment.stop();
  }
}

async function measure(
  deployment: Deployment,
  clients: BenchClient[],
  options: GatewayBenchOptions,
): Promise<BenchResult> {
  const expectedOps = Math.ceil(options.typists * options.rate * options.seconds);
  const typedAt: number[] = [];
  const latency = new LatencyRecorder(2 * expectedOps * (options.clients - 1) + 1_000);
  const delivered = recordArrivals(clients, typedAt, latency);
  const meter = new ProcessMeter([
    { name: 'engine', pid: deployment.engine.child.pid! },
    ...deployment.gateways.map((g, i) => ({ name: `gateway-${i + 1}`, pid: g.child.pid! })),
    { name: 'bench (clients)', pid: process.pid },
  ]);

  log(`${options.typists} typists at ${options.rate} edits/s for ${options.seconds} s…`);
  const { ops, typingSeconds } = await typeFor(clients.slice(0, options.typists), typedAt, options);
  const expectedDeliveries = ops * (options.clients - 1);
  log(`typed ${ops} edits; waiting for them to reach every client…`);
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  while (delivered() < expectedDeliveries && Date.now() < deadline) await sleep(50);
  const measured = meter.stop();

  const texts = new Set(clients.map(({ doc }) => doc.text));
  const markersInText = clients[0]!.doc.text.match(MARKER)?.length ?? 0;
  const gateways = measured.processes.filter((p) => p.name.startsWith('gateway'));
  return {
    name: `gateway-${options.clients}`,
    ops,
    seconds: round(typingSeconds, 2),
    opsPerSec: round(ops / typingSeconds, 1),
    latencyMs: latency.summary(),
    peakRssMb: Math.max(...gateways.map((p) => p.peakRssMb)),
    delivered: delivered(),
    expectedDeliveries,
    converged: texts.size === 1 && markersInText === ops,
    clients: options.clients,
    typists: options.typists,
    ratePerTypist: options.rate,
    ...measured,
    variant:
      'one document; clients alternate between two gateway processes; latency from typing to applied at each other client; peakRssMb is the larger gateway',
  };
}

/**
 * Records, for every marker that reaches a client other than its author, how long after its
 * typing it was applied there. Returns a counter of those arrivals.
 */
function recordArrivals(
  clients: BenchClient[],
  typedAt: number[],
  latency: LatencyRecorder,
): () => number {
  let delivered = 0;
  for (const { doc } of clients) {
    doc.on('change', ({ op, source }) => {
      if (source !== 'remote') return;
      const now = performance.now();
      for (const component of op) {
        if (typeof component !== 'string') continue;
        for (const [, id] of component.matchAll(MARKER)) {
          latency.record(now - typedAt[parseInt(id!, 36)]!);
          delivered++;
        }
      }
    });
  }
  return () => delivered;
}

/**
 * CPU time and peak memory of the benchmark's processes between construction and `stop`, from
 * /proc, with the machine's load average and this process's event-loop delay: every client
 * lives in this process, so its delay is part of every latency measured.
 */
class ProcessMeter {
  private readonly started = performance.now();
  private readonly cpuBefore: number[];
  private readonly loadBefore = os.loadavg();
  private readonly loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });

  constructor(private readonly processes: Array<{ name: string; pid: number }>) {
    this.cpuBefore = processes.map((p) => cpuTicks(p.pid));
    this.loopDelay.enable();
  }

  stop() {
    const wallSeconds = (performance.now() - this.started) / 1000;
    this.loopDelay.disable();
    const processes: ProcessFigures[] = this.processes.map((p, i) => {
      const cpuSeconds = (cpuTicks(p.pid) - this.cpuBefore[i]!) / clockTicksPerSecond();
      return {
        ...p,
        cpuSeconds: round(cpuSeconds, 2),
        cpuPercent: round((100 * cpuSeconds) / wallSeconds, 1),
        peakRssMb: round(peakRssMb(p.pid), 1),
      };
    });
    return {
      processes,
      clientLoopDelayMs: {
        p50: loopLag(this.loopDelay.percentile(50)),
        p99: loopLag(this.loopDelay.percentile(99)),
        max: loopLag(this.loopDelay.max),
      },
      loadAverage: {
        before: this.loadBefore.map((l) => round(l, 2)),
        after: os.loadavg().map((l) => round(l, 2)),
      },
    };
  }
}

/**
 * Each typist types `rate × seconds` markers, one every 1/rate seconds from a random phase. The
 * schedule is kept against the clock, so a busy event loop types late edits at the next tick
 * rather than fewer edits; each edit's time is taken when it is typed. Then waits until every
 * typist's edits are stored. Returns how many edits were typed, and in how many seconds.
 */
async function typeFor(
  typists: BenchClient[],
  typedAt: number[],
  options: GatewayBenchOptions,
): Promise<{ ops: number; typingSeconds: number }> {
  const intervalMs = 1000 / options.rate;
  const perTypist = Math.round(options.rate * options.seconds);
  const schedules = typists.map(({ doc }, i) => {
    const random = seededRandom(i + 1);
    return { doc, random, phaseMs: random.next() * intervalMs, typed: 0 };
  });
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const ticker = setInterval(() => {
      const elapsed = performance.now() - start;
      let finished = true;
      for (const schedule of schedules) {
        const due = Math.floor((elapsed - schedule.phaseMs) / intervalMs) + 1;
        for (; schedule.typed < Math.min(due, perTypist); schedule.typed++) {
          typedAt.push(performance.now());
          typeMarker(schedule.doc, `[${(typedAt.length - 1).toString(36)}]`, schedule.random);
        }
        if (schedule.typed < perTypist) finished = false;
      }
      if (!finished) return;
      clearInterval(ticker);
      resolve();
    }, TICK_MS);
  });
  const typingSeconds = (performance.now() - start) / 1000;
  await Promise.all(typists.map(({ doc }) => doc.whenSynced()));
  return { ops: typedAt.length, typingSeconds };
}

/** How late the sampling timer ran, in ms, from a histogram value in ns. */
function loopLag(nanoseconds: number): number {
  return round(Math.max(0, nanoseconds / 1e6 - LOOP_RESOLUTION_MS), 1);
}

/** User plus system CPU time of a process, in clock ticks, from /proc/<pid>/stat. */
function cpuTicks(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; the fields after it are plain numbers.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

let ticksPerSecond: number | undefined;

function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** The peak resident set size of a process (VmHWM), in MiB. */
function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

function notes(result: BenchResult): string[] {
  const processes = result.processes as ProcessFigures[];
  const load = result.loadAverage as { before: number[]; after: number[] };
  const loop = result.clientLoopDelayMs as { p50: number; p99: number; max: number };
  return [
    `delivered ${result.delivered} of ${result.expectedDeliveries} (edit, other client) pairs; ` +
      `clients ${result.converged ? 'converged' : 'did NOT converge'}`,
    ...processes.map(
      (p) =>
        `${p.name.padEnd(16)} pid ${String(p.pid).padStart(7)}  CPU ${p.cpuSeconds.toFixed(1)} s ` +
        `(${p.cpuPercent.toFixed(1)} % of a core)  peak RSS ${p.peakRssMb.toFixed(0)} MB`,
    ),
    `event-loop delay of the clients' process: p50 ${loop.p50} ms, p99 ${loop.p99} ms, max ${loop.max} ms`,
    `load average (1, 5, 15 min): ${load.before.join(', ')} before, ${load.after.join(', ')} after`,
  ];
}

async function main(): Promise<void> {
  const options = parseOptions();
  const result = await run(options);
  printReport('gateway', [result], { json: options.json, notes: notes(result) });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
