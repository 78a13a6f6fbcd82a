/**
 * Real editing traces (keystroke histories of real documents, from the public
 * `josephg/editing-traces` repository), read from TRACES_DIR — never copied into this one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadConfig } from './config.ts';

/** One edit: at code point `pos`, delete `delCount` code points, then insert `insText`. */
export type Patch = [pos: number, delCount: number, insText: string];

export interface TraceTransaction {
  patches: Patch[];
  /** Concurrent traces only: the author, and the transactions this one was typed on. */
  agent?: number;
  parents?: number[];
}

export interface Trace {
  startContent: string;
  endContent: string;
  txns: TraceTransaction[];
  numAgents?: number;
}

export const TRACE_NAMES = [
  'automerge-paper',
  'seph-blog1',
  'friendsforever',
  'friendsforever_flat',
] as const;
export type TraceName = (typeof TRACE_NAMES)[number];

export function tracesDir(): string {
  return loadConfig().TRACES_DIR;
}

export function traceFile(name: TraceName): string {
  return path.join(tracesDir(), `${name}.json.gz`);
}

export function traceAvailable(name: TraceName): boolean {
  return fs.existsSync(traceFile(name));
}

/** Why a trace test is skipped, for the test's name: says where the traces come from. */
export function traceMissingReason(name: TraceName): string {
  return (
    `trace ${name} not found in ${tracesDir()} (set TRACES_DIR, or fetch ${name}.json.gz ` +
    'from the public josephg/editing-traces repository)'
  );
}

const cache = new Map<TraceName, Trace>();

export function loadTrace(name: TraceName): Trace {
  let trace = cache.get(name);
  if (!trace) {
    trace = JSON.parse(gunzipSync(fs.readFileSync(traceFile(name))).toString('utf8')) as Trace;
    cache.set(name, trace);
  }
  return trace;
}
