/**
 * FerretDB 1.x with its SQLite backend: the local MongoDB-compatible server. It is built
 * once with Go from the module proxy, through the small main in `ferretdb/main.go`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { REPO_ROOT } from '../../common/config.ts';
import { CACHE_DIR, RUN_DIR, hasCommand, run, startDetached, waitUntil } from './process.ts';

const SOURCE_DIR = path.join(REPO_ROOT, 'scripts', 'infra', 'ferretdb');

/** The pinned FerretDB version, read from the go.mod that builds it. */
export const FERRETDB_VERSION = /github\.com\/FerretDB\/FerretDB (v[^\s]+)/.exec(
  fs.readFileSync(path.join(SOURCE_DIR, 'go.mod'), 'utf8'),
)![1]!;

export const FERRETDB_ADDRESS = { host: '127.0.0.1', port: 27017 };

export async function ensureFerretdbBinary(): Promise<string> {
  const binary = path.join(CACHE_DIR, `ferretdb-${FERRETDB_VERSION}`, 'ferretdb');
  if (fs.existsSync(binary)) return binary;

  if (!hasCommand('go'))
    throw new Error('ferretdb: Go is not installed (needed once to build FerretDB)');
  console.error(`ferretdb: building FerretDB ${FERRETDB_VERSION} with Go (once; about a minute)…`);
  fs.mkdirSync(path.dirname(binary), { recursive: true });
  await run('go', ['build', '-trimpath', '-o', `${binary}.partial`, '.'], { cwd: SOURCE_DIR });
  fs.renameSync(`${binary}.partial`, binary);
  return binary;
}

export async function startFerretdb(): Promise<number> {
  const binary = await ensureFerretdbBinary();
  const { host, port } = FERRETDB_ADDRESS;
  const { pid, logFile } = startDetached('ferretdb', binary, [
    '-listen',
    `${host}:${port}`,
    '-data',
    path.join(RUN_DIR, 'ferretdb-data'),
  ]);
  await waitUntil(`ferretdb (${host}:${port})`, () => mongoAnswers(`mongodb://${host}:${port}/`), {
    timeoutMs: 30_000,
    logFile,
    pid,
  });
  return pid;
}

export async function mongoAnswers(url: string): Promise<boolean> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 1_000, connectTimeoutMS: 1_000 });
  try {
    await client.connect();
    const reply = await client.db('admin').command({ ping: 1 });
    return reply.ok === 1;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** What the server says it is: FerretDB names itself, MongoDB gives only its version. */
export async function mongoVersion(url: string): Promise<string> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 2_000 });
  try {
    const info = await client.db('admin').command({ buildInfo: 1 });
    if (info.ferretdb) return `FerretDB (MongoDB ${info.version} compatible)`;
    return `MongoDB ${info.version}`;
  } finally {
    await client.close().catch(() => undefined);
  }
}
