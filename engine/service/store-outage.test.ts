/**
 * The engine while its store goes away: a FerretDB of the test's own, on its own port and data
 * directory, is SIGKILLed while submissions stream in, and started again on the same data a
 * moment later. Appends in flight lose their replies, later ones fail; the engine must end with
 * every submission stored exactly once and published without a fork.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFerretdbBinary, mongoAnswers } from '../../scripts/infra/ferretdb.ts';
import { waitUntil } from '../../scripts/infra/process.ts';
import { freePort } from '../../test/service-process.ts';
import { uniqueName } from '../../test/services.ts';
import type { Submission } from '../../common/protocol.ts';
import {
  SequencedReader,
  expectExactlyOnceEventually,
  expectNoFork,
  kafkaLog,
  startEngine,
  submit,
  type Namespace,
} from './testing/service-fixture.ts';

/**
 * `clients` people typing words at the start of the document by turns, each submission based
 * on the version before the last `clients - 1` ones: it is transformed against what the others
 * typed meanwhile, as an editor that has not yet seen their latest words would send it.
 */
function typingTogether(doc: string, clients: number, perClient: number): Submission[] {
  return Array.from({ length: clients * perClient }, (_, i) => {
    const c = i % clients;
    const seq = Math.floor(i / clients) + 1;
    const v = Math.max(0, i - (clients - 1));
    return { doc, v, src: `client-${c}`, seq, op: [`c${c}s${seq} `], user: `user-${c}` };
  });
}

/** A FerretDB process this test starts and kills, by its pid, on a port nothing else uses. */
class OwnFerretdb {
  private child: ChildProcess | null = null;

  private constructor(
    private readonly binary: string,
    private readonly dataDir: string,
    readonly port: number,
  ) {}

  static async create(): Promise<OwnFerretdb> {
    const binary = await ensureFerretdbBinary();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-outage-'));
    return new OwnFerretdb(binary, dataDir, await freePort());
  }

  get url(): string {
    return `mongodb://127.0.0.1:${this.port}/`;
  }

  async start(): Promise<void> {
    const args = ['-listen', `127.0.0.1:${this.port}`, '-data', this.dataDir];
    const child = spawn(this.binary, args, { stdio: 'ignore' });
    this.child = child;
    // Should the test process end before afterAll runs (a hung hook, a crash), so does the server.
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.off('exit', killOnExit));
    await waitUntil(`ferretdb on ${this.port}`, () => mongoAnswers(this.url), {
      timeoutMs: 30_000,
      pid: this.child.pid,
    });
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async remove(): Promise<void> {
    await this.kill();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

describe('the engine through an outage of its store', () => {
  let server: OwnFerretdb;
  let ns: Namespace;
  const cleanups: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    server = await OwnFerretdb.create();
    await server.start();
    // A short server selection makes appends during the outage fail rather than wait, so the
    // failure paths run; a real deployment keeps the driver's default and mostly just waits.
    const client = await MongoClient.connect(server.url, { serverSelectionTimeoutMS: 1_000 });
    const name = uniqueName('outage');
    ns = { name, client, db: client.db(name), drop: () => client.close() };
    cleanups.push(
      () => server.remove(),
      () => ns.drop(),
    );
  });

  afterAll(async () => {
    // The server goes first: the rest may wait on it, and it must not outlive the test.
    await server?.kill();
    while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
  });

  it('stores every submission exactly once when the store is killed mid-stream and comes back', async () => {
    const client = kafkaLog(ns.name);
    cleanups.push(() => client.close());
    const reader = await new SequencedReader(client).start();
    cleanups.push(() => reader.stop());
    // Appends every 20 submissions, so the stream is many appends and the kill meets some.
    const engine = await startEngine(ns, { opWindow: 40 });
    cleanups.push(() => engine.stop());
    const submissions = typingTogether('doc-outage', 3, 200);
    const bursts = Array.from({ length: 30 }, (_, i) => submissions.slice(i * 20, i * 20 + 20));

    for (const [i, burst] of bursts.entries()) {
      await submit(client, burst);
      if (i === 10) await server.kill();
      if (i === 20) await server.start();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    await expectExactlyOnceEventually(engine, 'doc-outage', submissions);
    await expect
      .poll(() => new Set(reader.ops('doc-outage').map((op) => op.v)).size, { timeout: 30_000 })
      .toBe(submissions.length);
    expectNoFork(reader.messages, 'doc-outage');
  });
});
