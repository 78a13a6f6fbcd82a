/**
 * A lock shared by the processes of one machine: a file created exclusively (`O_EXCL`) that
 * holds its owner's pid, removed by the owner when it is done.
 *
 * An owner killed before it removed the file leaves a stale lock, recognised by its pid no
 * longer being alive. Removing a stale lock is the racy part:
 *   1. Waiters A and B both read the lock of dead pid 41 and judge it stale.
 *   2. A removes it and creates its own lock.
 *   3. B, acting on what it read in step 1, removes A's fresh lock and creates its own: both
 *      now believe they hold the lock.
 * So a waiter may remove a stale lock only after creating, exclusively, a claim file named
 * after that lock file; one waiter gets the claim, and it checks that the lock is still the one
 * it judged stale before removing it. Nobody else removes a lock that is not their own.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { isAlive, sleep } from './process.ts';

export interface FileLockOptions {
  /** How long to wait for another owner before failing; 10 minutes by default. */
  timeoutMs?: number;
  /** Called once when the lock is held by another live process and this one starts waiting. */
  onWait?: (ownerPid: number) => void;
}

/** A lock file whose content is unreadable (its creator died before writing it) is this old. */
const UNWRITTEN_STALE_MS = 10_000;

/**
 * Runs `task` while holding the lock `file`, waiting for any other process that holds it.
 * Calls in one process also wait for each other.
 *
 * @example
 * await withFileLock(path.join(RUN_DIR, 'services.lock'), () => startEverything());
 */
export async function withFileLock<T>(
  file: string,
  task: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const token = await acquire(file, options);
  try {
    return await task();
  } finally {
    release(file, token);
  }
}

async function acquire(file: string, options: FileLockOptions): Promise<string> {
  // The pid tells waiters whether the owner lives; the random part makes each acquisition's
  // content unique, so that no one mistakes a fresh lock for the stale one it replaced.
  const token = `${process.pid} ${randomUUID()}`;
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  let announced = false;
  for (;;) {
    if (tryCreate(file, token)) return token;

    const owner = readOwner(file);
    if (owner !== null && isStale(owner)) {
      removeStale(file, owner);
      continue;
    }
    if (Date.now() > deadline) {
      const pid = owner?.pid ?? 'unknown';
      throw new Error(`${file} is still held by pid ${pid}; if it is not running, remove the file`);
    }
    if (!announced && owner?.pid !== undefined) {
      announced = true;
      options.onWait?.(owner.pid);
    }
    await sleep(100 + Math.random() * 100);
  }
}

function release(file: string, token: string): void {
  if (readOwner(file)?.token === token) fs.rmSync(file, { force: true });
}

function tryCreate(file: string, token: string): boolean {
  try {
    fs.writeFileSync(file, `${token}\n`, { flag: 'wx' });
    return true;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  }
}

interface Owner {
  token: string;
  /** Undefined while the creator has not written it yet, or never will. */
  pid: number | undefined;
  ino: number;
  mtimeMs: number;
}

/** The current lock's owner, or null when there is no lock file any more. */
function readOwner(file: string): Owner | null {
  try {
    const stat = fs.statSync(file);
    const token = fs.readFileSync(file, 'utf8').trim();
    const pid = Number(token.split(' ')[0]);
    return {
      token,
      pid: Number.isInteger(pid) && pid > 0 ? pid : undefined,
      ino: stat.ino,
      mtimeMs: stat.mtimeMs,
    };
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw error;
  }
}

function isStale(owner: Owner): boolean {
  if (owner.pid !== undefined) return !isAlive(owner.pid);
  return Date.now() - owner.mtimeMs > UNWRITTEN_STALE_MS;
}

/**
 * Removes the stale lock `owner` read, under a claim only one waiter can hold (see the file
 * comment). The claim is named after the lock file's inode, which identifies that very file
 * even when the dead owner's pid is reused later.
 */
function removeStale(file: string, owner: Owner): void {
  const claim = `${file}.stale-${owner.ino}`;
  if (!tryCreate(claim, String(process.pid))) {
    // Another waiter holds the claim and is removing the lock; a claim left behind by a waiter
    // that died meanwhile is as stale as the lock was.
    const claimant = readOwner(claim);
    if (claimant !== null && isStale(claimant)) fs.rmSync(claim, { force: true });
    return;
  }
  try {
    const current = readOwner(file);
    if (current?.ino === owner.ino && current.token === owner.token) {
      fs.rmSync(file, { force: true });
    }
  } finally {
    fs.rmSync(claim, { force: true });
  }
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}
