/**
 * The sequencer core alone: one client replays a trace, pipelining so that every operation is
 * based on the head and needs no transform, against an in-memory history. No storage, log or
 * network is involved; this is the ceiling the full service path is measured against.
 */
import type { Submission } from '../../common/protocol.ts';
import type { Trace } from '../../common/traces.ts';
import { patchToOp } from '../../engine/ot/patch-op.ts';
import { MemoryHistory } from '../../engine/sequencer/memory-history.ts';
import { Sequencer } from '../../engine/sequencer/sequencer.ts';
import { LatencyRecorder, PeakRss, round } from './measure.ts';
import { log, type BenchResult } from './report.ts';

const DOC = 'bench';
const RSS_SAMPLE_EVERY = 4096;

/** One submission per trace patch, each on the version its predecessor will become. */
export function traceSubmissions(trace: Trace): Submission[] {
  const submissions: Submission[] = [];
  for (const txn of trace.txns) {
    for (const patch of txn.patches) {
      const seq = submissions.length + 1;
      submissions.push({
        doc: DOC,
        v: seq - 1,
        src: 'author',
        seq,
        op: patchToOp(patch),
        user: 'author',
      });
    }
  }
  return submissions;
}

const THROUGHPUT_RUNS = 5;

/**
 * Replays the trace on fresh sequencers, through `submit` and awaiting every operation as a
 * service handling one message at a time would: once to warm the JIT, five times to measure
 * throughput, and once with a clock read around every operation for its latency, so that the
 * clock reads do not count against the throughput. A replay takes well under a second, so a
 * single one is easily disturbed by other work on the machine; the median of five is
 * reported, with every run's figure beside it.
 *
 * @example
 * const result = await benchCore(loadTrace('automerge-paper'));
 */
export async function benchCore(trace: Trace): Promise<BenchResult> {
  const submissions = traceSubmissions(trace);
  log(`core: warming up with one replay of ${submissions.length} ops`);
  await replay(submissions, trace.endContent, null);

  log(`core: measuring throughput over ${THROUGHPUT_RUNS} replays`);
  const rss = new PeakRss();
  const runs: number[] = [];
  for (let run = 0; run < THROUGHPUT_RUNS; run++) {
    runs.push(await replay(submissions, trace.endContent, { rss, latency: null }));
  }
  const seconds = [...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;

  log('core: measuring latency');
  const latency = new LatencyRecorder(submissions.length);
  await replay(submissions, trace.endContent, { rss, latency });

  return {
    name: 'core',
    ops: submissions.length,
    seconds: round(seconds),
    opsPerSec: Math.round(submissions.length / seconds),
    latencyMs: latency.summary(),
    peakRssMb: round(rss.megabytes, 1),
    path: 'Sequencer.submit awaited per op, in-memory history',
    throughputRuns: runs.map((s) => Math.round(submissions.length / s)),
  };
}

interface Probes {
  rss: PeakRss;
  latency: LatencyRecorder | null;
}

/** Replays every submission on a fresh sequencer and returns the elapsed seconds. */
async function replay(
  submissions: Submission[],
  endContent: string,
  probes: Probes | null,
): Promise<number> {
  const sequencer = new Sequencer(new MemoryHistory());
  const ts = Date.now();
  const started = performance.now();

  const latency = probes?.latency ?? null;
  for (let i = 0; i < submissions.length; i++) {
    const before = latency ? performance.now() : 0;
    const outcome = await sequencer.submit(submissions[i]!, ts);
    if (latency) latency.record(performance.now() - before);
    if (probes && i % RSS_SAMPLE_EVERY === 0) probes.rss.sample();
    if (outcome.kind !== 'sequenced') throw new Error(`op ${i + 1} was ${outcome.kind}`);
  }

  const seconds = (performance.now() - started) / 1000;
  if (sequencer.document(DOC)?.text !== endContent) {
    throw new Error("the core replay did not end with the trace's final text");
  }
  return seconds;
}
