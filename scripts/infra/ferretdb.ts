/**
 * FerretDB 1.x with its SQLite backend: the local MongoDB-compatible server. It is built
 * once with Go from the module proxy, through the small main in `ferretdb/main.go`.
 */
import { createHash } from 'node:crypto';
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

/**
 * What the build changes in FerretDB 1.24.2's source: each patch replaces one exact passage and
 * fails loudly if the source has moved. Nothing else differs from the release.
 */
interface SourcePatch {
  file: string;
  shipped: string;
  patched: string;
}

const PATCHES: readonly SourcePatch[] = [
  // The SQLite `_id` index is built on `_ferretdb_sjson->"_id"`, but documents are looked up by
  // `_ferretdb_sjson->'$._id'`, which SQLite does not match to that index: every `_id` lookup,
  // update and delete scanned the table (0.5–3 s per lookup at 259,778 events).
  {
    file: 'internal/backends/sqlite/metadata/metadata.go',
    shipped: `IDColumn = DefaultColumn + "->'$._id'"`,
    patched: 'IDColumn = DefaultColumn + `->"_id"`',
  },
  // An ordered insert must stop at its first error, as MongoDB's does. 1.24.2 stopped only
  // within its batch of documents and went on with the next one: inserting 300 documents of
  // which the 151st existed stored 0–149 and 200–299. The event store's fencing relies on the
  // stop (see engine/store/mongo-append.ts).
  {
    file: 'internal/handler/msg_insert.go',
    shipped: `			if params.Ordered {
				break
			}
		}
	}

	res := must.NotFail(`,
    patched: `			if params.Ordered {
				break
			}
		}

		if params.Ordered && len(writeErrors) > 0 {
			break
		}
	}

	res := must.NotFail(`,
  },
  // Documents per SQLite transaction (and per multi-row INSERT) of one insert command. With 100,
  // the same index pages went to the WAL again every 100 documents, and every batch paid a
  // commit. A batch that fails is retried a document at a time, as before.
  {
    file: 'ferretdb/ferretdb.go',
    shipped: 'BatchSize:               100,',
    patched: 'BatchSize:               1000,',
  },
];

export async function ensureFerretdbBinary(): Promise<string> {
  const buildDir = path.join(CACHE_DIR, `ferretdb-${FERRETDB_VERSION}-${buildTag()}`);
  const binary = path.join(buildDir, 'ferretdb');
  if (fs.existsSync(binary)) return binary;

  if (!hasCommand('go'))
    throw new Error('ferretdb: Go is not installed (needed once to build FerretDB)');
  console.error(`ferretdb: building FerretDB ${FERRETDB_VERSION} with Go (once; about a minute)…`);
  fs.mkdirSync(buildDir, { recursive: true });
  const source = await patchedSource(buildDir);
  const modfile = path.join(buildDir, 'go.mod');
  fs.writeFileSync(
    modfile,
    fs.readFileSync(path.join(SOURCE_DIR, 'go.mod'), 'utf8') +
      `\nreplace github.com/FerretDB/FerretDB => ${source}\n`,
  );
  fs.copyFileSync(path.join(SOURCE_DIR, 'go.sum'), path.join(buildDir, 'go.sum'));
  await run('go', ['build', '-trimpath', `-modfile=${modfile}`, '-o', `${binary}.partial`, '.'], {
    cwd: SOURCE_DIR,
  });
  fs.renameSync(`${binary}.partial`, binary);
  return binary;
}

/**
 * Names a build by everything that goes into it, so that a changed main.go, go.mod or patch
 * builds a new binary instead of reusing the one cached before.
 */
function buildTag(): string {
  const hash = createHash('sha256');
  for (const file of ['main.go', 'go.mod', 'go.sum'])
    hash.update(fs.readFileSync(path.join(SOURCE_DIR, file)));
  hash.update(JSON.stringify(PATCHES));
  return hash.digest('hex').slice(0, 12);
}

/** Copies the module's source out of Go's read-only module cache and applies the patches. */
async function patchedSource(buildDir: string): Promise<string> {
  const module = `github.com/FerretDB/FerretDB@${FERRETDB_VERSION}`;
  const downloaded = JSON.parse(
    await run('go', ['mod', 'download', '-json', module], { cwd: SOURCE_DIR }),
  ) as { Dir?: string };
  if (!downloaded.Dir) throw new Error(`ferretdb: go mod download gave no directory for ${module}`);

  const source = path.join(buildDir, 'src');
  // The module cache is read-only, and so is a copy of it until it is made writable.
  if (fs.existsSync(source)) await run('chmod', ['-R', 'u+w', source]);
  fs.rmSync(source, { recursive: true, force: true });
  fs.cpSync(downloaded.Dir, source, { recursive: true });
  await run('chmod', ['-R', 'u+w', source]);
  for (const patch of PATCHES) {
    const file = path.join(source, patch.file);
    const text = fs.readFileSync(file, 'utf8');
    if (text.split(patch.shipped).length !== 2)
      throw new Error(`ferretdb: ${patch.file} no longer reads, once, ${patch.shipped}`);
    fs.writeFileSync(file, text.replace(patch.shipped, patch.patched));
  }
  return source;
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
