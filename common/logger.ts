/**
 * One structured logger for every process: one JSON line per event on stderr, so that
 * benchmark and tool output on stdout stays machine-readable.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ name, level, base: { pid: process.pid } }, pino.destination(2));
}
