/**
 * A promise that settles like `promise`, or rejects with `message` once `ms` have passed. The
 * timer is cleared either way, so it never keeps a process alive.
 *
 * @example
 * await withTimeout(io.serverSideEmitWithAck('presence:snapshot', doc), 1_000);
 */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  message = `no answer within ${ms} ms`,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
