/**
 * Starting and stopping the local servers as detached processes, each with a pid file and a
 * log file, so that `down` ends exactly what `up` started and nothing else.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../common/config.ts';

/** Where built servers and downloaded jars are kept between runs: outside the repository. */
export const CACHE_DIR = process.env.OT_CACHE_DIR
  ? path.resolve(process.env.OT_CACHE_DIR)
  : path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'ot-collab');

/** Where running servers keep their data, pid files and logs: inside the checkout, ignored. */
export const RUN_DIR = path.join(REPO_ROOT, '.data', 'services');

export interface Started {
  pid: number;
  logFile: string;
}

export function pidFile(name: string): string {
  return path.join(RUN_DIR, `${name}.pid`);
}

export function logFile(name: string): string {
  return path.join(RUN_DIR, `${name}.log`);
}

/**
 * Starts a long-running server detached from this process and records its pid. Refuses while
 * the pid file names a live process: that is the server `down` has to find, and a second one
 * would only lose the race for its port and leave its own pid in the file instead.
 */
export function startDetached(
  name: string,
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Started {
  const running = runningPid(name);
  if (running !== undefined) {
    throw new Error(
      `${name}: pid ${running}, started earlier, is still running but not answering; ` +
        "stop it with 'npm run services -- down'",
    );
  }
  fs.mkdirSync(RUN_DIR, { recursive: true });
  const log = logFile(name);
  const out = fs.openSync(log, 'a');
  const child = spawn(command, args, {
    cwd: options.cwd ?? RUN_DIR,
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
  child.unref();
  fs.writeFileSync(pidFile(name), String(child.pid));
  return { pid: child.pid, logFile: log };
}

/** The pid recorded by `startDetached`, if that process is still alive. */
export function runningPid(name: string): number | undefined {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(pidFile(name), 'utf8').trim());
  } catch {
    return undefined;
  }
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops a server started by `startDetached`: SIGTERM, then SIGKILL after a grace period. */
export async function stopStarted(name: string, graceMs = 15_000): Promise<number | undefined> {
  const pid = runningPid(name);
  fs.rmSync(pidFile(name), { force: true });
  if (pid === undefined) return undefined;

  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  return pid;
}

export function portOpen(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Polls `probe` until it resolves true; fails with the component's name and log file. */
export async function waitUntil(
  what: string,
  probe: () => Promise<boolean>,
  options: { timeoutMs: number; logFile?: string; pid?: number },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    if (options.pid !== undefined && !isAlive(options.pid)) {
      throw new Error(`${what} exited during start-up; see ${options.logFile ?? 'its log'}`);
    }
    await sleep(250);
  }
  const where = options.logFile ? `; see ${options.logFile}` : '';
  throw new Error(`${what} did not answer within ${options.timeoutMs / 1000} s${where}`);
}

/**
 * Runs a command to completion, failing with the end of its output when it does not succeed.
 * Asynchronous, so that one service's long build does not stall another's readiness checks.
 */
export function run(
  command: string,
  args: string[],
  options: { cwd?: string } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error) => reject(new Error(`${command}: ${error.message}`)));
    child.once('close', (status) => {
      if (status === 0) return resolve(stdout);
      const tail = output.trim().split('\n').slice(-20).join('\n');
      reject(new Error(`${command} ${args.join(' ')} failed (exit ${status}):\n${tail}`));
    });
  });
}

export function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function parseHostPort(
  address: string,
  defaultPort: number,
): { host: string; port: number } {
  const match = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(address.trim());
  if (!match?.[1]) throw new Error(`not a host:port address: ${address}`);
  return { host: match[1], port: match[2] ? Number(match[2]) : defaultPort };
}
