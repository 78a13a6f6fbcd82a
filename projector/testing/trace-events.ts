/**
 * A real editing trace as the event store would hold it: one sequenced operation per patch,
 * with timestamps of a person typing (the traces carry none worth using). The timing is
 * pseudo-random from a fixed seed, so every run produces the same events — and therefore the
 * same snapshots and revisions.
 */
import type { SequencedOp, TextOp } from '../../common/protocol.ts';
import type { Patch, Trace } from '../../common/traces.ts';

export interface TraceTiming {
  /** Milliseconds between keystrokes are drawn uniformly from this range. */
  keystrokeMs: [number, number];
  /** The chance, per operation, that the author stops for a while first. */
  pauseChance: number;
  /** Pauses last this many milliseconds, drawn uniformly. */
  pauseMs: [number, number];
}

export const TYPING: TraceTiming = {
  keystrokeMs: [30, 330],
  pauseChance: 1 / 3_000,
  pauseMs: [60_000, 3_600_000],
};

/** The operation of one trace patch: at `pos`, delete `delCount` code points, insert text. */
export function patchOp([pos, delCount, insText]: Patch): TextOp {
  const op: TextOp = [];
  if (pos > 0) op.push(pos);
  if (delCount > 0) op.push({ d: delCount });
  if (insText !== '') op.push(insText);
  return op;
}

export function traceEvents(
  trace: Trace,
  doc: string,
  options: { user?: string; start?: number; timing?: TraceTiming } = {},
): SequencedOp[] {
  const user = options.user ?? 'author';
  const timing = options.timing ?? TYPING;
  const random = mulberry32(0x5eed);
  const between = ([low, high]: [number, number]) => Math.round(low + random() * (high - low));
  let ts = options.start ?? Date.UTC(2024, 0, 1);
  const events: SequencedOp[] = [];
  for (const txn of trace.txns) {
    for (const patch of txn.patches) {
      ts += random() < timing.pauseChance ? between(timing.pauseMs) : between(timing.keystrokeMs);
      const v = events.length + 1;
      events.push({ doc, v, src: `${user}-editor`, seq: v, op: patchOp(patch), user, ts });
    }
  }
  return events;
}

/** A small seeded generator: the same seed gives the same sequence in every run. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
