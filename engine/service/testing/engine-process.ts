/** An engine as its own OS process (`engine/main.ts`), for tests that kill it with SIGKILL. */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from '../../../common/config.ts';
import { services } from '../../../test/services.ts';

export interface EngineProcess {
  child: ChildProcess;
  port: number;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function spawnEngine(namespace: string, partitions: number): Promise<EngineProcess> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(REPO_ROOT, 'engine', 'main.ts')],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        ...services,
        KAFKA_TOPIC_PREFIX: namespace,
        MONGO_DB: namespace,
        KAFKA_PARTITIONS: String(partitions),
        ENGINE_PORT: String(port),
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const engine: EngineProcess = {
    child,
    port,
    output: () => output,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      await exited;
    },
  };
  await waitForReady(engine);
  return engine;
}

async function waitForReady(engine: EngineProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (engine.child.exitCode !== null)
      throw new Error(`engine exited during start-up:\n${engine.output()}`);
    const ready = await fetch(`http://127.0.0.1:${engine.port}/readyz`)
      .then((response) => response.ok)
      .catch(() => false);
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`engine not ready within 60 s:\n${engine.output()}`);
}
