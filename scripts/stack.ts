/**
 * `npm run stack`: the distributed product on the local services — two engines, two gateways
 * (GATEWAY_PORTS, 8080 and 8081; each serves the web editor) and a projector, each its own
 * process, with dev auth on.
 * Ctrl-C stops the processes it started; the services keep running (`npm run services -- down`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT, loadConfig } from '../common/config.ts';
import { servicesUp, serviceUrls } from './infra/services.ts';

interface Role {
  name: string;
  entry: string;
  env: Record<string, string>;
  readyUrl: string;
}

function roles(gatewayPorts: number[]): Role[] {
  const engines = [9100, 9101].map((port, i) => ({
    name: `engine-${i + 1}`,
    entry: 'engine/main.ts',
    env: { ENGINE_PORT: String(port) },
    readyUrl: `http://127.0.0.1:${port}/readyz`,
  }));
  const gateways = gatewayPorts.map((port, i) => ({
    name: `gateway-${i + 1}`,
    entry: 'gateway/main.ts',
    env: { PORT: String(port) },
    readyUrl: `http://127.0.0.1:${port}/readyz`,
  }));
  const projector = {
    name: 'projector',
    entry: 'projector/main.ts',
    env: { PROJECTOR_PORT: '9200' },
    readyUrl: 'http://127.0.0.1:9200/readyz',
  };
  return [...engines, projector, ...gateways];
}

function startRole(role: Role): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, role.entry)], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...serviceUrls(), AUTH_DEV: process.env.AUTH_DEV ?? '1', ...role.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = (chunk: Buffer) =>
    chunk
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((line) => `[${role.name}] ${line}\n`)
      .join('');
  child.stdout!.on('data', (chunk: Buffer) => process.stdout.write(prefix(chunk)));
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(prefix(chunk)));
  child.once('exit', (code, signal) => {
    if (!stopping) console.error(`[${role.name}] exited (${signal ?? code})`);
  });
  return child;
}

async function waitReady(role: Role, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${role.name} exited during start-up`);
    const ok = await fetch(role.readyUrl).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`${role.name} not ready at ${role.readyUrl} within 90 s`);
}

let stopping = false;

async function main(): Promise<void> {
  const config = loadConfig();
  const gatewayPorts = config.GATEWAY_PORTS.split(',').map(Number);
  await servicesUp();

  const started = roles(gatewayPorts).map((role) => ({ role, child: startRole(role) }));
  const stop = () => {
    stopping = true;
    for (const { child } of started) if (child.exitCode === null) child.kill('SIGTERM');
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  try {
    await Promise.all(started.map(({ role, child }) => waitReady(role, child)));
  } catch (error) {
    stop();
    throw error;
  }
  const editors = gatewayPorts.map((p) => `http://127.0.0.1:${p}/`).join(' and ');
  console.log(`stack ready: open the editor at ${editors}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
