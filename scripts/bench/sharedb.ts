/**
 * ShareDB 7 as the reference point: one process, its in-memory database, the
 * `ot-text-unicode` type registered, and one client connection replaying the same trace. This
 * is the architecture the product replaces, measured the way ShareDB is normally used.
 */
import { createRequire } from 'node:module';
import { type as textUnicode } from 'ot-text-unicode';
import type { TextOp } from '../../common/protocol.ts';
import type { Trace } from '../../common/traces.ts';
import { patchToOp } from '../../engine/ot/patch-op.ts';
import { LatencyRecorder, PeakRss, round } from './measure.ts';
import { log, type BenchResult } from './report.ts';

/** The small part of ShareDB's API this benchmark uses; the package ships no types. */
interface ShareDbDoc {
  data: unknown;
  preventCompose: boolean;
  create(data: string, type: string, callback: (error?: Error) => void): void;
  submitOp(op: TextOp, callback: (error?: Error) => void): void;
  whenNothingPending(callback: () => void): void;
}
interface ShareDbBackend {
  connect(): { get(collection: string, id: string): ShareDbDoc };
  close(callback: () => void): void;
}
interface ShareDbModule {
  new (): ShareDbBackend;
  types: { register(type: unknown): void };
}

const ShareDB = createRequire(import.meta.url)('sharedb') as ShareDbModule;
ShareDB.types.register(textUnicode);

const RSS_SAMPLE_EVERY = 256;
const PIPELINE_DEPTH = 256;

export interface SharedbBenchOptions {
  /** Replay only the first `limit` operations; the result says so. */
  limit?: number;
}

/**
 * Replays the trace through ShareDB twice — one operation at a time, waiting for each
 * acknowledgement, and pipelined, with every operation queued at once — and reports the
 * faster, labelled with its variant and the other's figure.
 *
 * @example
 * const result = await benchSharedb(loadTrace('automerge-paper'));
 */
export async function benchSharedb(
  trace: Trace,
  options: SharedbBenchOptions = {},
): Promise<BenchResult> {
  const allOps = trace.txns.flatMap((txn) => txn.patches.map(patchToOp));
  const ops = options.limit === undefined ? allOps : allOps.slice(0, options.limit);
  const expected = ops.length === allOps.length ? trace.endContent : undefined;

  if (options.limit === undefined) {
    log('sharedb: a full replay takes minutes per variant; --sharedb-limit N replays a prefix');
  }
  log(`sharedb: replaying ${ops.length} ops one at a time`);
  const sequential = await replayOneAtATime(ops, expected);
  log(`sharedb: ${Math.round(sequential.opsPerSec)} ops/s; replaying pipelined`);
  const pipelined = await replayPipelined(ops, expected);
  log(`sharedb: ${Math.round(pipelined.opsPerSec)} ops/s pipelined`);

  const [best, other] =
    pipelined.opsPerSec > sequential.opsPerSec ? [pipelined, sequential] : [sequential, pipelined];
  const result: BenchResult = {
    ...best,
    name: 'sharedb',
    otherVariant: { variant: other.variant, opsPerSec: other.opsPerSec },
  };
  if (ops.length < allOps.length) result.opsReplayed = `first ${ops.length} of ${allOps.length}`;
  return result;
}

/** Submits each operation after the previous one was acknowledged, timing each round trip. */
async function replayOneAtATime(ops: TextOp[], expected: string | undefined) {
  const { backend, doc } = await openDocument();
  const latency = new LatencyRecorder(ops.length);
  const rss = new PeakRss();
  const started = performance.now();

  for (let i = 0; i < ops.length; i++) {
    const before = performance.now();
    await submit(doc, ops[i]!);
    latency.record(performance.now() - before);
    if (i % RSS_SAMPLE_EVERY === 0) rss.sample();
  }

  const seconds = (performance.now() - started) / 1000;
  await finish(backend, doc, expected);
  return {
    variant: 'one op at a time, each awaiting its acknowledgement',
    ...rates(ops.length, seconds),
    latencyMs: latency.summary(),
    peakRssMb: round(rss.megabytes, 1),
  };
}

/**
 * Keeps up to `PIPELINE_DEPTH` operations queued in the client, topping the queue up as
 * acknowledgements arrive, so the client sends the next operation the moment the previous one
 * is acknowledged. Composition is turned off, so the server still receives and sequences every
 * operation separately (ShareDB's client keeps one in flight at a time). The queue is bounded
 * because ShareDB's client handles a queue of the whole trace far more slowly than a short
 * one. Per-operation latency would mostly measure the queue, so none is reported.
 */
async function replayPipelined(ops: TextOp[], expected: string | undefined) {
  const { backend, doc } = await openDocument();
  doc.preventCompose = true;
  const rss = new PeakRss();
  const started = performance.now();

  await new Promise<void>((resolve, reject) => {
    let submitted = 0;
    let acknowledged = 0;
    const topUp = () => {
      while (submitted < ops.length && submitted - acknowledged < PIPELINE_DEPTH) {
        doc.submitOp(ops[submitted++]!, onAcknowledged);
      }
    };
    const onAcknowledged = (error?: Error) => {
      if (error) return reject(error);
      if (++acknowledged % RSS_SAMPLE_EVERY === 0) rss.sample();
      if (acknowledged === ops.length) resolve();
      else topUp();
    };
    topUp();
  });

  const seconds = (performance.now() - started) / 1000;
  await finish(backend, doc, expected);
  return {
    variant: `pipelined: up to ${PIPELINE_DEPTH} ops queued, each sent on the previous one's acknowledgement, no composition`,
    ...rates(ops.length, seconds),
    peakRssMb: round(rss.megabytes, 1),
  };
}

async function openDocument(): Promise<{ backend: ShareDbBackend; doc: ShareDbDoc }> {
  const backend = new ShareDB();
  const doc = backend.connect().get('bench', 'doc');
  await new Promise<void>((resolve, reject) =>
    doc.create('', textUnicode.uri, (error) => (error ? reject(error) : resolve())),
  );
  return { backend, doc };
}

function submit(doc: ShareDbDoc, op: TextOp): Promise<void> {
  return new Promise((resolve, reject) =>
    doc.submitOp(op, (error) => (error ? reject(error) : resolve())),
  );
}

/** Checks the replay reached the trace's final text, then shuts the backend down. */
async function finish(backend: ShareDbBackend, doc: ShareDbDoc, expected: string | undefined) {
  await new Promise<void>((resolve) => doc.whenNothingPending(resolve));
  if (expected !== undefined && doc.data !== expected) {
    throw new Error("the ShareDB replay did not end with the trace's final text");
  }
  await new Promise<void>((resolve) => backend.close(resolve));
}

function rates(ops: number, seconds: number) {
  return { ops, seconds: round(seconds), opsPerSec: Math.round(ops / seconds) };
}
