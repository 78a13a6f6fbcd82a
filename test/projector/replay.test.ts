/**
 * The replay tool against the real MongoDB-compatible server, run as a separate process the
 * way an operator runs it.
 */
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../common/logger.ts';
import type { SequencedOp } from '../../common/protocol.ts';
import { MongoEventStore } from '../../engine/store/mongo-event-store.ts';
import { MongoDocsStore } from '../../gateway/docs/mongo-docs-store.ts';
import { generationNames } from '../../projector/store/generations.ts';
import { MongoProjectionStore } from '../../projector/store/mongo-projection-store.ts';
import { testDocId } from '../../projector/testing/commits.ts';
import type { RebuildSummary } from '../../scripts/replay/rebuild.ts';
import type { VerifySummary } from '../../scripts/replay/verify.ts';
import { services, uniqueName } from '../services.ts';
import { historyOf } from './fixtures/histories.ts';
import { runReplay } from './fixtures/run-replay.ts';

const logger = createLogger('test', 'silent');
const dbName = uniqueName('replay');
const env = { MONGO_URL: services.MONGO_URL, MONGO_DB: dbName, SNAPSHOT_EVERY: '40' };
const client = new MongoClient(services.MONGO_URL);
const docs = [testDocId('a'), testDocId('b'), testDocId('c')];
const histories = new Map<string, SequencedOp[]>(
  docs.map((doc, i) => [doc, historyOf(doc, 150 + 60 * i)]),
);

beforeAll(async () => {
  await client.connect();
  const events = new MongoEventStore(client.db(dbName), { logger });
  await events.init();
  await events.append([...histories.values()].flat());
  // Two documents were created through the gateway; the third exists only in the event store.
  const docsStore = new MongoDocsStore({ url: services.MONGO_URL, dbName });
  await docsStore.init();
  for (const doc of docs.slice(0, 2)) await docsStore.create({ id: doc, title: doc, owner: 'ann' });
  await docsStore.close();
});

afterAll(async () => {
  await client.db(dbName).dropDatabase();
  await client.close();
});

async function verify(): Promise<{ code: number | null; summary: VerifySummary; stdout: string }> {
  const run = await runReplay(['verify', '--json'], env);
  return { code: run.code, summary: JSON.parse(run.stdout) as VerifySummary, stdout: run.stdout };
}

/** Overwrites the text of a document's listed snapshot in the live generation. */
async function corruptSnapshot(doc: string): Promise<number> {
  const store = new MongoProjectionStore(client.db(dbName), { logger });
  const generation = await store.refreshGeneration();
  const state = (await store.state(doc))!;
  const v = state.snapshots[1]!;
  await client
    .db(dbName)
    .collection<{ _id: string }>(generationNames(generation).snapshots)
    .updateOne({ _id: `${doc}/${v}` }, { $set: { text: 'not what was typed' } });
  return v;
}

/** Overwrites a document's latest text in the live generation; returns its version. */
async function corruptLatest(doc: string): Promise<number> {
  const store = new MongoProjectionStore(client.db(dbName), { logger });
  const generation = await store.refreshGeneration();
  const latest = (await store.latest(doc))!;
  await client
    .db(dbName)
    .collection<{ _id: string }>(generationNames(generation).latest)
    .updateOne({ _id: doc }, { $set: { text: `${latest.text}!` } });
  return latest.v;
}

describe('replay rebuild and verify', () => {
  it('rebuilds every document, including one that only the event store knows', async () => {
    const run = await runReplay(['rebuild', '--json'], env);

    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as RebuildSummary;
    expect(summary.generation).toEqual({ from: 0, to: 1 });
    expect(summary.documents).toEqual(
      docs
        .map((doc) => ({ doc, from: 0, to: histories.get(doc)!.length }))
        .sort((a, b) => (a.doc < b.doc ? -1 : 1)),
    );
  });

  it('then verifies that all three documents match, snapshot by snapshot', async () => {
    const { code, summary } = await verify();

    expect(code).toBe(0);
    expect(summary.ok).toBe(true);
    expect(summary.documents.map((d) => [d.doc, d.eventHead, d.firstBadVersion])).toEqual(
      [...docs].sort().map((doc) => [doc, histories.get(doc)!.length, null]),
    );
    expect(summary.documents.every((d) => d.snapshots >= 3 && d.revisions === 3)).toBe(true);
  });

  it('reports a corrupted snapshot with its document and version, and exits non-zero', async () => {
    const doc = docs[1]!;
    const v = await corruptSnapshot(doc);

    const { code, summary } = await verify();
    const table = await runReplay(['verify'], env);

    expect(code).toBe(1);
    expect(summary.ok).toBe(false);
    const bad = summary.documents.filter((d) => d.firstBadVersion !== null);
    expect(bad).toEqual([
      expect.objectContaining({
        doc,
        firstBadVersion: v,
        mismatches: [expect.objectContaining({ kind: 'snapshot', v })],
      }),
    ]);
    expect(table.code).toBe(1);
    expect(table.stdout).toContain(`${doc} version ${v} (snapshot)`);
  });

  it('repairs the document with rebuild --doc, after which everything verifies again', async () => {
    const run = await runReplay(['rebuild', '--doc', docs[1]!, '--json'], env);
    const { code, summary } = await verify();

    expect(run.code, run.stderr).toBe(0);
    expect(code).toBe(0);
    expect(summary.ok).toBe(true);
  });

  it('reports a corrupted latest text, and rebuild --doc repairs it', async () => {
    const doc = docs[2]!;
    const v = await corruptLatest(doc);

    const broken = await verify();
    await runReplay(['rebuild', '--doc', doc, '--json'], env);
    const repaired = await verify();

    expect(broken.code).toBe(1);
    expect(broken.summary.documents.filter((d) => d.firstBadVersion !== null)).toEqual([
      expect.objectContaining({
        doc,
        firstBadVersion: v,
        mismatches: [expect.objectContaining({ kind: 'latest', v })],
      }),
    ]);
    expect(repaired.code).toBe(0);
  });

  it('shows the text of any version and the revision log', async () => {
    const doc = docs[0]!;
    const history = histories.get(doc)!;

    const shown = await runReplay(['show', '--doc', doc, '--version', '10', '--json'], env);
    const log = await runReplay(['log', '--doc', doc, '--json'], env);

    expect(JSON.parse(shown.stdout)).toEqual({ doc, v: 10, text: 'the quick ' });
    const revisions = (JSON.parse(log.stdout) as { revisions: Array<{ n: number; to: number }> })
      .revisions;
    expect(revisions.map((r) => r.n)).toEqual([3, 2, 1]);
    expect(revisions[0]!.to).toBe(history.length);
  });
});
