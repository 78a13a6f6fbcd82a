/**
 * How every service process starts and stops: a failed start-up exits non-zero with its error,
 * and SIGTERM or SIGINT stops the service's work first, then closes what it used, then exits.
 */
import type { Logger } from './logger.ts';

interface Closable {
  close(): Promise<unknown>;
}

/** Stops `service` on SIGTERM/SIGINT, then closes `resources` (failures there are ignored). */
export function stopOnSignal(
  logger: Logger,
  name: string,
  service: { stop(): Promise<unknown> },
  resources: Closable[],
): void {
  const shutdown = async (signal: string) => {
    logger.info({ signal }, `${name} stopping`);
    await service.stop();
    await Promise.allSettled(resources.map((resource) => resource.close()));
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

/** Runs a service's start-up; an error ends the process with code 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
