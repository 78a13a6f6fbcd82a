/**
 * Real editing traces through the distributed wiring: two gateways on Kafka, the
 * MongoDB-compatible store and Redis, with the sequencer service. The traces are replayed the
 * two honest ways the traces' README describes:
 *
 * - exact, turn by turn: the linearised trace is handed out in runs to three SDK clients on two
 *   gateways, each run typed once everything before it has reached its client, so every client
 *   and the store must end with the trace's own text;
 * - concurrent: each author of the two-author trace types on its own client while the other's
 *   operations reach it late and in uneven batches, so the final text is nobody's in
 *   particular, but every client, the store and a late joiner must agree on it.
 */
import { type as otText } from 'ot-text-unicode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadTrace,
  traceAvailable,
  traceMissingReason,
  type Patch,
  type TraceName,
  type TraceTransaction,
} from '../../common/traces.ts';
import { patchToOp } from '../../engine/ot/patch-op.ts';
import { codePointLength } from '../../engine/ot/unicode.ts';
import type { CollabDocument } from '../../gateway/client/index.ts';
import { headText, reachVersion, storedText } from './convergence.ts';
import { closeClients, createDoc, devToken, mirror, newUser, sdkClient, share } from './helpers.ts';
import { seededRandom, sleep, type Random } from './seeded-random.ts';
import { startWiring, type Wiring } from './wirings.ts';

const FLAT: TraceName = 'friendsforever_flat';
const CONCURRENT: TraceName = 'friendsforever';

// The flat trace is replayed whole: on two shared cores that takes 40 to 55 s, one hand-over
// round trip after another through Kafka. The concurrent trace costs about 1 ms of CPU per
// transaction in this process (which also runs both gateways and the sequencer), so only its
// first part is typed, to keep the file well within two minutes.
const CONCURRENT_TRANSACTIONS = 10_000;

const SEED = 20_240_601;

/** The test's name, with the reason it is skipped when the trace is missing. */
function traceTest(name: TraceName, title: string): string {
  return traceAvailable(name) ? title : `${title} — skipped: ${traceMissingReason(name)}`;
}

/** The text after one patch, computed locally as the reference. */
function applyPatch(text: string, patch: Patch): string {
  return otText.apply(text, patchToOp(patch));
}

describe('real editing traces through two gateways, Kafka, the store and the sequencer', () => {
  let wiring: Wiring;

  beforeAll(async () => {
    if (traceAvailable(FLAT) || traceAvailable(CONCURRENT)) {
      wiring = await startWiring('distributed', { sequencer: true });
    }
  });

  afterAll(async () => {
    closeClients();
    await wiring?.stop();
  });

  /** One document and `count` clients on it, each with a user of its own, alternating gateways. */
  async function editors(
    count: number,
  ): Promise<{ doc: string; token: string; docs: CollabDocument[] }> {
    const url = wiring.urls[0]!;
    const owner = newUser('owner');
    const token = await devToken(url, owner);
    const doc = await createDoc(url, token);
    const docs: CollabDocument[] = [];
    for (let i = 0; i < count; i++) {
      const user = newUser(`editor${i}`);
      const gateway = wiring.urls[i % wiring.urls.length]!;
      // Granted through the gateway the client uses, which forgets its cached roles at once.
      await share(gateway, token, doc, user, 'editor');
      const client = await sdkClient(gateway, user);
      docs.push(await client.open(doc));
    }
    return { doc, token, docs };
  }

  /**
   * Waits for every client to reach the head, then checks that each of them, its change events,
   * the gateway and the event store all hold the same text; returns that head.
   */
  async function expectEveryoneAgrees(
    doc: string,
    token: string,
    docs: CollabDocument[],
    views: Array<{ text: string }>,
  ): Promise<{ v: number; text: string }> {
    const head = await headText(wiring.urls.at(-1)!, token, doc);
    await Promise.all(docs.map((d) => reachVersion(d, head.v)));
    expect(await storedText(wiring.events, doc)).toEqual(head);
    for (const [i, d] of docs.entries()) {
      expect(d.version, `client ${i}`).toBe(head.v);
      expect(d.text, `client ${i}`).toBe(head.text);
      expect(views[i]!.text, `client ${i}'s change events`).toBe(head.text);
    }
    return head;
  }

  /** A reader who opens the document only now, on the second gateway. */
  async function lateJoiner(doc: string, token: string): Promise<CollabDocument> {
    const user = newUser('late');
    await share(wiring.urls.at(-1)!, token, doc, user, 'viewer');
    const client = await sdkClient(wiring.urls.at(-1)!, user);
    return client.open(doc);
  }

  it.skipIf(!traceAvailable(FLAT))(
    traceTest(
      FLAT,
      `replays all of ${FLAT} exactly, turn by turn, over three clients on two gateways, to its final text`,
    ),
    async () => {
      const trace = loadTrace(FLAT);
      const random = seededRandom(SEED);
      const { doc, token, docs } = await editors(3);
      const views = docs.map(mirror);
      let reference = trace.startContent;
      let head = 0;
      let writer = -1;

      for (let next = 0; next < trace.txns.length;) {
        writer = random.pick([0, 1, 2].filter((i) => i !== writer));
        const typist = docs[writer]!;
        // Every transaction before this run has reached the typist before it types on.
        await reachVersion(typist, head);
        expect(typist.text, `client ${writer} before transaction ${next}`).toBe(reference);

        const end = Math.min(trace.txns.length, next + random.between(20, 100));
        for (; next < end; next++) {
          for (const patch of trace.txns[next]!.patches) {
            typist.submit(patchToOp(patch));
            reference = applyPatch(reference, patch);
          }
        }
        await typist.whenSynced();
        head = typist.version;
      }

      expect(reference).toBe(trace.endContent);
      const final = await expectEveryoneAgrees(doc, token, docs, views);
      expect(final.text).toBe(reference);
    },
    100_000,
  );

  it.skipIf(!traceAvailable(CONCURRENT))(
    traceTest(
      CONCURRENT,
      `brings both authors of the first ${CONCURRENT_TRANSACTIONS.toLocaleString('en-US')} transactions of ${CONCURRENT}, typing at once on two gateways while remote operations arrive late at random, to one text`,
    ),
    async () => {
      const trace = loadTrace(CONCURRENT);
      const { doc, token, docs } = await editors(2);
      const views = docs.map(mirror);
      for (const d of docs) d.pauseIncoming();

      let typing = true;
      const delivery = docs.map((d, i) => deliverLate(d, seededRandom(SEED + i), () => typing));
      await Promise.all(
        docs.map((d, agent) =>
          typeAsAuthor(
            d,
            trace.txns.slice(0, CONCURRENT_TRANSACTIONS).filter((txn) => txn.agent === agent),
            seededRandom(SEED + 10 + agent),
          ),
        ),
      );
      typing = false;
      await Promise.all(delivery);
      for (const d of docs) d.resumeIncoming();
      await Promise.all(docs.map((d) => d.whenSynced()));

      const head = await expectEveryoneAgrees(doc, token, docs, views);
      expect(codePointLength(head.text)).toBeGreaterThan(1_000);
      // The authors' operations interleave in the log: they really were typed at the same time.
      const authors = (await wiring.events.range(doc, 0)).map((event) => event.src);
      const turns = authors.filter((src, i) => i > 0 && src !== authors[i - 1]).length;
      expect(turns).toBeGreaterThan(20);
      const late = await lateJoiner(doc, token);
      expect(late.version).toBe(head.v);
      expect(late.text).toBe(head.text);
    },
    100_000,
  );
});

/**
 * Types an author's transactions on the author's current text, positions and deletions clamped
 * to its length, as fast as the client takes them: in bursts of a few transactions, yielding to
 * the event loop between bursts so that submissions, acknowledgements and remote operations
 * interleave with the typing.
 */
async function typeAsAuthor(
  doc: CollabDocument,
  txns: TraceTransaction[],
  random: Random,
): Promise<void> {
  for (let i = 0; i < txns.length;) {
    const burstEnd = Math.min(txns.length, i + random.between(1, 8));
    for (; i < burstEnd; i++) {
      for (const patch of txns[i]!.patches) typeClamped(doc, patch);
    }
    await sleep(0);
  }
}

function typeClamped(doc: CollabDocument, [position, deleteCount, inserted]: Patch): void {
  const length = codePointLength(doc.text);
  const at = Math.min(position, length);
  const deleted = Math.min(deleteCount, length - at);
  if (deleted > 0 || inserted !== '') doc.submit(patchToOp([at, deleted, inserted]));
}

/**
 * Releases a paused document's incoming operations late and out of step: after a random pause
 * of up to 40 ms, a random number of the held operations (acknowledgements of its own edits
 * included), until the typing is over.
 */
async function deliverLate(doc: CollabDocument, random: Random, typing: () => boolean) {
  while (typing()) {
    await sleep(random.between(0, 40));
    doc.releaseIncoming(random.between(1, 4));
  }
}
