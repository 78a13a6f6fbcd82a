/**
 * Losing a connection, and losing a whole gateway, in the middle of typing. Every edit is a
 * unique marker inserted between earlier markers, so the final text must be exactly the
 * markers everyone typed, each once: nothing lost, nothing applied twice.
 *
 * - On the distributed wiring (two gateways in this process, Kafka, the store, Redis, the
 *   sequencer): a client whose connection drops keeps typing offline and catches up.
 * - On separate processes (an engine and two gateways, `engine/main.ts` and `gateway/main.ts`):
 *   one gateway is killed with SIGKILL, and its clients move to the other through the SDK's list
 *   of gateway URLs.
 */
import net from 'node:net';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoEventStore } from '../../engine/store/mongo-event-store.ts';
import {
  freePort,
  spawnEngine,
  type EngineProcess,
} from '../../engine/service/testing/engine-process.ts';
import { connect, type CollabClient, type CollabDocument } from '../../gateway/client/index.ts';
import { services, uniqueName } from '../services.ts';
import { headText, reachVersion, storedText } from './convergence.ts';
import { dropNamespace, spawnGateway, type GatewayProcess } from './gateway-process.ts';
import {
  closeClients,
  createDoc,
  devToken,
  mirror,
  newUser,
  sdkClient,
  share,
  waitFor,
} from './helpers.ts';
import { seededRandom, sleep, type Random } from './seeded-random.ts';
import { logger, startWiring, type Wiring } from './wirings.ts';

/** Someone typing markers into an open document, remembering every marker typed. */
class Typist {
  readonly typed: string[] = [];
  /** Markers typed while the client had no connection. */
  offline = 0;

  constructor(
    readonly name: string,
    readonly client: CollabClient,
    readonly doc: CollabDocument,
    private readonly random: Random,
  ) {}

  /**
   * Inserts the next marker at a random place between two markers (never inside one), so that
   * every marker stays whole whatever lands next to it.
   */
  type(): void {
    const marker = `[${this.name}${this.typed.length}]`;
    const text = this.doc.text;
    let at = this.random.between(0, text.length);
    if (at > 0 && text[at - 1] !== ']') at = text.indexOf(']', at) + 1;
    if (!this.client.socket.connected) this.offline++;
    this.doc.insert(at, marker);
    this.typed.push(marker);
  }

  /** Types a marker every few milliseconds until `until` resolves. */
  async typeUntil(until: Promise<unknown>): Promise<void> {
    let done = false;
    void until.then(() => (done = true));
    while (!done) {
      this.type();
      await sleep(this.random.between(5, 25));
    }
  }
}

/** The markers of a text, sorted: compared with everything typed, it shows loss and doubling. */
function markersIn(text: string): string[] {
  const markers = text.match(/\[[a-z]+\d+\]/g) ?? [];
  expect(markers.join(''), 'the text holds nothing but whole markers').toBe(text);
  return markers.sort();
}

function allTyped(typists: Typist[]): string[] {
  return typists.flatMap((t) => t.typed).sort();
}

/**
 * Waits until every typist's edits are stored and every client is at the head, then checks
 * that the clients, the gateway and the event store hold the same text, made of exactly the
 * markers typed, once each.
 */
async function expectConverged(
  typists: Typist[],
  views: Array<{ text: string }>,
  read: { url: string; token: string; docId: string; store: () => Promise<unknown> },
  timeoutMs: number,
): Promise<void> {
  await Promise.all(typists.map((t) => waitFor(() => !t.doc.hasUnsyncedChanges, timeoutMs)));
  const head = await headText(read.url, read.token, read.docId);
  await Promise.all(typists.map((t) => reachVersion(t.doc, head.v, timeoutMs)));
  expect(await read.store()).toEqual(head);
  for (const [i, t] of typists.entries()) {
    expect(t.doc.text, t.name).toBe(head.text);
    expect(views[i]!.text, `${t.name}'s change events`).toBe(head.text);
  }
  expect(markersIn(head.text)).toEqual(allTyped(typists));
}

describe('a connection lost mid-edit (distributed wiring, sequencer running)', () => {
  let wiring: Wiring;

  beforeAll(async () => {
    wiring = await startWiring('distributed', { sequencer: true });
  });

  afterAll(async () => {
    closeClients();
    await wiring?.stop();
  });

  /** Ada on the first gateway and Bob on the second, typing into one document. */
  async function adaAndBob(seed: number) {
    const [adaId, bobId] = [newUser('ada'), newUser('bob')];
    const token = await devToken(wiring.urls[0]!, adaId);
    const docId = await createDoc(wiring.urls[0]!, token);
    // Granted through Bob's gateway, which forgets its cached roles at once.
    await share(wiring.urls[1]!, token, docId, bobId, 'editor');
    const ada = await sdkClient(wiring.urls[0]!, adaId);
    const bob = await sdkClient(wiring.urls[1]!, bobId);
    const typists = [
      new Typist('a', ada, await ada.open(docId), seededRandom(seed)),
      new Typist('b', bob, await bob.open(docId), seededRandom(seed + 1)),
    ];
    const read = {
      url: wiring.urls[1]!,
      token,
      docId,
      store: () => storedText(wiring.events, docId),
    };
    return { ada, bob, typists, views: typists.map((t) => mirror(t.doc)), read };
  }

  it('keeps typing through a dropped connection, reconnects by itself, and converges with every edit once', async () => {
    const { ada, typists, views, read } = await adaAndBob(7);
    const [adaTypist, bobTypist] = typists as [Typist, Typist];
    for (let i = 0; i < 10; i++) {
      adaTypist.type();
      bobTypist.type();
      await sleep(10);
    }

    // The transport dies right after a marker is typed, before its acknowledgement can arrive.
    const reconnected = new Promise((resolve) => ada.once('connect', resolve));
    adaTypist.type();
    ada.socket.io.engine.close();
    await Promise.all([adaTypist.typeUntil(reconnected), bobTypist.typeUntil(reconnected)]);
    for (let i = 0; i < 10; i++) {
      adaTypist.type();
      bobTypist.type();
      await sleep(10);
    }

    expect(adaTypist.offline).toBeGreaterThanOrEqual(5);
    await expectConverged(typists, views, read, 15_000);
  });

  it('keeps typing through a long disconnect while the other side types on, then converges', async () => {
    const { ada, typists, views, read } = await adaAndBob(11);
    const [adaTypist, bobTypist] = typists as [Typist, Typist];
    adaTypist.type();
    bobTypist.type();

    adaTypist.type();
    ada.socket.disconnect();
    const offline = sleep(1_500);
    await Promise.all([adaTypist.typeUntil(offline), bobTypist.typeUntil(offline)]);
    ada.socket.connect();
    await Promise.all([adaTypist.typeUntil(sleep(300)), bobTypist.typeUntil(sleep(300))]);

    expect(adaTypist.offline).toBeGreaterThanOrEqual(20);
    expect(bobTypist.typed.length).toBeGreaterThanOrEqual(20);
    await expectConverged(typists, views, read, 15_000);
  });

  it('starts on the next gateway URL when the first cannot be reached', async () => {
    const user = newUser('carol');
    const token = await devToken(wiring.urls[0]!, user);
    const docId = await createDoc(wiring.urls[0]!, token);
    const nobody = `http://127.0.0.1:${await freePort()}`;
    const client = connect([nobody, wiring.urls[1]!], {
      token,
      socket: { transports: ['websocket'] },
    });

    try {
      await client.ready();
      expect(client.url).toBe(wiring.urls[1]);
      const doc = await client.open(docId);
      doc.insert(0, 'through the second gateway');
      await doc.whenSynced();
      expect(await headText(wiring.urls[0]!, token, docId)).toEqual({
        v: 1,
        text: 'through the second gateway',
      });
    } finally {
      client.close();
    }
  });
});

describe('a client given several gateway URLs, none of which answers', () => {
  it('tries them in turn with a growing pause, and stops trying once closed', async () => {
    // Two ports that take a TCP connection and drop it at once, counting the attempts.
    let attempts = 0;
    const servers = [1, 2].map(() =>
      net.createServer((connection) => {
        attempts++;
        connection.destroy();
      }),
    );
    const urls = await Promise.all(
      servers.map(
        (server) =>
          new Promise<string>((resolve) =>
            server.listen(0, '127.0.0.1', () =>
              resolve(`http://127.0.0.1:${(server.address() as net.AddressInfo).port}`),
            ),
          ),
      ),
    );
    const client = connect(urls, { token: 'unused', socket: { transports: ['websocket'] } });

    try {
      await sleep(2_500);
      // Both at once, then after pauses of 0.5 s, 0.5 s and 1 s: five attempts, not hundreds.
      expect(attempts).toBeGreaterThanOrEqual(4);
      expect(attempts).toBeLessThanOrEqual(10);
      expect(client.socket.connected).toBe(false);

      client.close();
      const afterClose = attempts;
      await sleep(1_500);
      expect(attempts).toBe(afterClose);
    } finally {
      client.close();
      for (const server of servers) server.close();
    }
  });
});

describe('a gateway killed with SIGKILL (engine and gateways as processes)', () => {
  const namespace = uniqueName('failover');
  const jwtSecret = 'failover-tests-secret-0123456789';
  let engine: EngineProcess | undefined;
  let gateways: GatewayProcess[] = [];
  const clients: CollabClient[] = [];

  beforeAll(async () => {
    engine = await spawnEngine(namespace, 3);
    gateways = await Promise.all(
      [1, 2].map(() => spawnGateway({ namespace, partitions: 3, jwtSecret })),
    );
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await Promise.all([...gateways, engine].map((p) => p?.kill('SIGTERM')));
    await dropNamespace(namespace);
  });

  it('moves the clients of the dead gateway to the other one, where everyone converges with every edit once', async () => {
    const [first, second] = gateways as [GatewayProcess, GatewayProcess];
    const owner = newUser('owner');
    const token = await devToken(first.url, owner);
    const docId = await createDoc(first.url, token);
    const random = seededRandom(3);
    // Two clients list the first gateway first, one the second; each can reach both.
    const lists = [
      [first.url, second.url],
      [first.url, second.url],
      [second.url, first.url],
    ];
    const typists: Typist[] = [];
    for (const [i, urls] of lists.entries()) {
      const user = newUser(`typist${i}`);
      await share(urls[0]!, token, docId, user, 'editor');
      const client = connect(urls, {
        token: await devToken(first.url, user),
        socket: { transports: ['websocket'] },
        syncTimeoutMs: 2_000,
      });
      clients.push(client);
      const doc = await client.open(docId);
      typists.push(new Typist('abc'[i]!, client, doc, seededRandom(random.between(1, 1e9))));
    }
    const views = typists.map((t) => mirror(t.doc));

    let typedBeforeKill: number[] = [];
    const killed = sleep(1_000).then(() => {
      typedBeforeKill = typists.map((t) => t.typed.length);
      return first.kill('SIGKILL');
    });
    const typing = killed.then(() => sleep(2_000));
    await Promise.all(typists.map((t) => t.typeUntil(typing)));

    expect(typists.map((t) => t.client.url)).toEqual([second.url, second.url, second.url]);
    for (const [i, t] of typists.entries()) {
      expect(typedBeforeKill[i], `${t.name} before the kill`).toBeGreaterThan(10);
      expect(t.typed.length - typedBeforeKill[i]!, `${t.name} after the kill`).toBeGreaterThan(10);
    }
    await expectConverged(
      typists,
      views,
      { url: second.url, token, docId, store: () => storedTextIn(namespace, docId) },
      40_000,
    );
  }, 90_000);
});

/** The text rebuilt from the namespace's event store, read with a connection of our own. */
async function storedTextIn(namespace: string, docId: string) {
  const client = await MongoClient.connect(services.MONGO_URL);
  try {
    const events = new MongoEventStore(client.db(namespace), { logger });
    await events.init();
    return await storedText(events, docId);
  } finally {
    await client.close();
  }
}
