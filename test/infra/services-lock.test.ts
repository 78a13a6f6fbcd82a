/**
 * The lock that makes `npm run services -- up` and `down` take turns, and the pid files it
 * keeps right. Runs beside the shared servers and stops none of them.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../common/config.ts';
import { withFileLock } from '../../scripts/infra/file-lock.ts';
import {
  RUN_DIR,
  isAlive,
  logFile,
  runningPid,
  startDetached,
  stopStarted,
} from '../../scripts/infra/process.ts';
import { uniqueName } from '../services.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'services-lock-'));
const cleanups: Array<() => Promise<unknown>> = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Finished {
  status: number | null;
  stdout: string;
  stderr: string;
}

function runNode(args: string[]): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** A process that holds `lock` for `ms` and prints when it held it, as `[from, to]`. */
function holdInAnotherProcess(lock: string, ms: number): Promise<Finished> {
  const module = path.join(REPO_ROOT, 'scripts', 'infra', 'file-lock.ts');
  const code = `
    import { withFileLock } from ${JSON.stringify(module)};
    await withFileLock(${JSON.stringify(lock)}, async () => {
      const from = Date.now();
      await new Promise((resolve) => setTimeout(resolve, ${ms}));
      console.log(JSON.stringify([from, Date.now()]));
    });`;
  return runNode(['--import', 'tsx', '--input-type=module', '-e', code]);
}

/** The pid of a process that has already exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

/** The pid files of the shared servers, by name. */
function serverPidFiles(): Record<string, string> {
  const files = fs
    .readdirSync(RUN_DIR)
    .filter((f) => /^(kafka(-\d)?|ferretdb|redis)\.pid$/.test(f));
  return Object.fromEntries(files.map((f) => [f, fs.readFileSync(path.join(RUN_DIR, f), 'utf8')]));
}

describe('the lock around starting and stopping the local servers', () => {
  it('lets one process at a time hold the lock', async () => {
    const lock = path.join(dir, 'turns.lock');

    const holders = await Promise.all([1, 2, 3].map(() => holdInAnotherProcess(lock, 300)));

    const spans = holders
      .map((holder) => JSON.parse(holder.stdout) as [number, number])
      .sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++) {
      expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
    }
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('takes over a lock whose owner died without releasing it', async () => {
    const lock = path.join(dir, 'stale.lock');
    fs.writeFileSync(lock, `${await deadPid()} left-behind\n`);

    const result = await withFileLock(lock, async () => 'ran', { timeoutMs: 5_000 });

    expect(result).toBe('ran');
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('stale.lock'))).toEqual([]);
  });

  it('waits for an owner that is alive, and names it when it gives up', async () => {
    const lock = path.join(dir, 'held.lock');
    fs.writeFileSync(lock, `${process.pid} another-holder\n`);
    const waitedFor: number[] = [];

    const attempt = withFileLock(lock, async () => 'ran', {
      timeoutMs: 500,
      onWait: (pid) => waitedFor.push(pid),
    });

    await expect(attempt).rejects.toThrow(`held by pid ${process.pid}`);
    expect(waitedFor).toEqual([process.pid]);
    expect(fs.readFileSync(lock, 'utf8')).toBe(`${process.pid} another-holder\n`);
  });

  it('refuses to start a server over the pid file of one that is still running', () => {
    const name = uniqueName('lock-test');
    const idle = ['-e', 'setInterval(() => {}, 1000)'];
    const first = startDetached(name, process.execPath, idle);
    cleanups.push(async () => {
      await stopStarted(name, 2_000);
      if (isAlive(first.pid)) process.kill(first.pid, 'SIGKILL');
      fs.rmSync(logFile(name), { force: true });
    });

    expect(() => startDetached(name, process.execPath, idle)).toThrow(/is still running/);
    expect(runningPid(name)).toBe(first.pid);
  });

  it('leaves every pid file as it was when two `up` run at once against running servers', async () => {
    const before = serverPidFiles();
    const services = path.join(REPO_ROOT, 'scripts', 'services.ts');

    const ups = await Promise.all([1, 2].map(() => runNode(['--import', 'tsx', services, 'up'])));

    for (const up of ups) {
      expect(up.status, up.stderr).toBe(0);
      expect(up.stdout).toContain('all services were already running');
    }
    expect(serverPidFiles()).toEqual(before);
  });
});
