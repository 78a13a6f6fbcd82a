/**
 * End to end on both wirings, with the sequencer service running: clients on different
 * gateways edit the same document and converge, authors learn their versions from the room,
 * missed operations are fetched, reconnects resubmit without duplicating, refusals roll back,
 * and cursors move with everyone's edits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollabClient, CollabError } from '../../gateway/client/index.ts';
import type { DocOpsMessage, DocRejectMessage } from '../../gateway/client/protocol.ts';
import {
  closeClients,
  closeSockets,
  collect,
  createDoc,
  devToken,
  http,
  mirror,
  newUser,
  rawSocket,
  request,
  sdkClient,
  share,
  waitFor,
} from './helpers.ts';
import { WIRINGS, startWiring, type Wiring } from './wirings.ts';

describe.each(WIRINGS)('collaboration with the sequencer (%s)', (name) => {
  let wiring: Wiring;

  beforeAll(async () => {
    wiring = await startWiring(name, { sequencer: true, projector: true });
  });

  afterAll(async () => {
    closeClients();
    closeSockets();
    await wiring?.stop();
  });

  /** A document Ada owns and Bob edits, each with an SDK client on a different gateway. */
  async function adaAndBob(): Promise<{
    doc: string;
    ada: CollabClient;
    bob: CollabClient;
    adaToken: string;
  }> {
    const [adaId, bobId] = [newUser('ada'), newUser('bob')];
    const adaToken = await devToken(wiring.urls[0]!, adaId, 'Ada');
    const doc = await createDoc(wiring.urls[0]!, adaToken);
    await share(wiring.urls[0]!, adaToken, doc, bobId, 'editor');
    const ada = await sdkClient(wiring.urls[0]!, adaId, 'Ada');
    const bob = await sdkClient(wiring.urls.at(-1)!, bobId, 'Bob');
    return { doc, ada, bob, adaToken };
  }

  async function serverText(doc: string, token: string) {
    const reply = await http<{ v: number; text: string }>(
      wiring.urls[0]!,
      'GET',
      `/api/docs/${doc}/text`,
      {
        token,
      },
    );
    return reply.body;
  }

  it('acknowledges a submission, then delivers it to the room, author included, as the next version', async () => {
    const token = await devToken(wiring.urls[0]!, newUser());
    const doc = await createDoc(wiring.urls[0]!, token);
    const author = await rawSocket(wiring.urls[0]!, token);
    const reader = await rawSocket(wiring.urls.at(-1)!, token);
    await request(author, 'doc:join', { doc });
    await request(reader, 'doc:join', { doc });
    const atAuthor = collect<DocOpsMessage>(author, 'doc:ops');
    const atReader = collect<DocOpsMessage>(reader, 'doc:ops');

    expect(await request(author, 'doc:op', { doc, v: 0, src: 'a1', seq: 1, op: ['hi'] })).toEqual({
      ok: true,
    });

    await waitFor(() => atAuthor.length > 0 && atReader.length > 0, 10_000, 'fan-out');
    const expected = {
      v: 1,
      src: 'a1',
      seq: 1,
      op: ['hi'],
      user: expect.any(String),
      ts: expect.any(Number),
    };
    expect(atAuthor[0]).toEqual({ doc, ops: [expected] });
    expect(atReader[0]).toEqual({ doc, ops: [expected] });
  });

  it('delivers every version once, contiguous and ascending within and across messages', async () => {
    const token = await devToken(wiring.urls[0]!, newUser());
    const doc = await createDoc(wiring.urls[0]!, token);
    const reader = await rawSocket(wiring.urls.at(-1)!, token);
    await request(reader, 'doc:join', { doc });
    const received = collect<DocOpsMessage>(reader, 'doc:ops');
    const writers = await Promise.all([1, 2, 3].map(() => rawSocket(wiring.urls[0]!, token)));

    // Each writer waits for each acknowledgement, as the protocol asks of one client id: two
    // submissions in flight at once could reach the log in either order.
    await Promise.all(
      writers.map(async (writer, w) => {
        for (let seq = 1; seq <= 5; seq++) {
          await request(writer, 'doc:op', { doc, v: 0, src: `w${w}`, seq, op: [`${w}`] });
        }
      }),
    );

    await waitFor(() => received.flatMap((m) => m.ops).length >= 15, 15_000, 'all operations');
    const versions = received.flatMap((m) => m.ops.map((op) => op.v));
    expect(versions).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    for (const { ops } of received) {
      expect(ops.map((op) => op.v)).toEqual(ops.map((_, i) => ops[0]!.v + i));
    }
    expect(await serverText(doc, token)).toMatchObject({ v: 15 });
  });

  it('brings two clients on different gateways typing at once to the same text', async () => {
    const { doc, ada, bob, adaToken } = await adaAndBob();
    const [adaDoc, bobDoc] = [await ada.open(doc), await bob.open(doc)];
    const [adaView, bobView] = [mirror(adaDoc), mirror(bobDoc)];

    for (let i = 0; i < 20; i++) {
      adaDoc.insert(i % 3, 'a');
      bobDoc.insert(bobDoc.text.length, 'b');
      if (i % 5 === 4) bobDoc.remove(0, 1);
    }
    await Promise.all([adaDoc.whenSynced(), bobDoc.whenSynced()]);
    const server = await serverText(doc, adaToken);
    await waitFor(
      () => adaDoc.version === server.v && bobDoc.version === server.v,
      10_000,
      'catch up',
    );

    expect(adaDoc.text).toBe(server.text);
    expect(bobDoc.text).toBe(server.text);
    expect(adaView.text).toBe(server.text);
    expect(bobView.text).toBe(server.text);
    expect([...server.text].length).toBe(20 + 20 - 4);
  });

  it('serves a late joiner the text at the head, and catch-up from any version', async () => {
    const { doc, ada, bob } = await adaAndBob();
    const adaDoc = await ada.open(doc);
    adaDoc.insert(0, 'hello');
    adaDoc.insert(5, ' world');
    await adaDoc.whenSynced();

    const bobDoc = await bob.open(doc);
    const socket = await rawSocket(wiring.urls.at(-1)!, await devToken(wiring.urls[0]!, newUser()));
    expect(bobDoc.text).toBe('hello world');
    expect(bobDoc.version).toBe(2);
    expect(await request(socket, 'doc:join', { doc })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const catchUp = await request(ada.socket as never, 'doc:join', { doc, v: 1 });
    expect(catchUp).toMatchObject({ ok: true, v: 2, ops: [{ v: 2, op: [5, ' world'] }] });
  });

  it('reads the text at an earlier version and lists the revisions the projector recorded', async () => {
    const { doc, ada, adaToken } = await adaAndBob();
    const adaDoc = await ada.open(doc);
    adaDoc.insert(0, 'first');
    await adaDoc.whenSynced();
    adaDoc.insert(5, ' second');
    await adaDoc.whenSynced();
    const url = wiring.urls.at(-1)!;

    const early = await http(url, 'GET', `/api/docs/${doc}/text?v=1`, { token: adaToken });
    const history = await waitFor(
      async () => {
        const reply = await http<Array<{ from: number; to: number }>>(
          url,
          'GET',
          `/api/docs/${doc}/history`,
          { token: adaToken },
        );
        return reply.body[0]?.to === 2 ? reply.body : null;
      },
      10_000,
      'revisions',
    );

    expect(early.body).toEqual({ v: 1, text: 'first' });
    expect(history).toEqual([
      expect.objectContaining({ doc, from: 1, to: 2, authors: [expect.any(String)] }),
    ]);
  });

  it('applies held operations one at a time with pauseIncoming and releaseIncoming', async () => {
    const { doc, ada, bob } = await adaAndBob();
    const [adaDoc, bobDoc] = [await ada.open(doc), await bob.open(doc)];
    adaDoc.pauseIncoming();

    for (const word of ['one ', 'two ', 'three ']) {
      bobDoc.insert(bobDoc.text.length, word);
      await bobDoc.whenSynced();
    }
    await waitFor(() => adaDoc.incomingCount === 3, 10_000, 'held operations');

    expect(adaDoc.text).toBe('');
    expect(adaDoc.releaseIncoming(1)).toBe(1);
    expect(adaDoc.text).toBe('one ');
    expect(adaDoc.version).toBe(1);
    adaDoc.insert(0, '> ');
    adaDoc.resumeIncoming();
    await adaDoc.whenSynced();
    await waitFor(() => bobDoc.text === adaDoc.text && bobDoc.version === adaDoc.version);
    expect(adaDoc.text).toBe('> one two three ');
  });

  it('fetches missed operations when a later version reveals the gap', async () => {
    const { doc, ada, bob } = await adaAndBob();
    const [adaDoc, bobDoc] = [await ada.open(doc), await bob.open(doc)];
    // Ada's socket leaves the room behind the SDK's back, as if the adapter lost messages.
    await request(ada.socket as never, 'doc:leave', { doc });

    bobDoc.insert(0, 'missed ');
    await bobDoc.whenSynced();
    await request(ada.socket as never, 'doc:join', { doc });
    bobDoc.insert(7, 'then seen');
    await bobDoc.whenSynced();

    await waitFor(() => adaDoc.text === 'missed then seen', 10_000, 'gap filled');
    expect(adaDoc.version).toBe(2);
  });

  it('resubmits an edit in flight across a reconnect without applying it twice', async () => {
    const { doc, ada, bob, adaToken } = await adaAndBob();
    const [adaDoc, bobDoc] = [await ada.open(doc), await bob.open(doc)];
    const reconnected = new Promise((resolve) => ada.once('connect', resolve));

    adaDoc.insert(0, 'typed while the network fails');
    ada.socket.io.engine.close();
    bobDoc.insert(0, '!');
    await reconnected;
    await adaDoc.whenSynced();
    await bobDoc.whenSynced();

    const server = await serverText(doc, adaToken);
    await waitFor(() => adaDoc.version === server.v && bobDoc.version === server.v, 10_000, 'sync');
    expect(server.text.split('typed while the network fails').length).toBe(2);
    expect(adaDoc.text).toBe(server.text);
    expect(bobDoc.text).toBe(server.text);
  });

  it('does not apply a resubmitted (src, seq) a second time', async () => {
    const token = await devToken(wiring.urls[0]!, newUser());
    const doc = await createDoc(wiring.urls[0]!, token);
    const first = await rawSocket(wiring.urls[0]!, token);
    await request(first, 'doc:join', { doc });
    const ops = collect<DocOpsMessage>(first, 'doc:ops');
    await request(first, 'doc:op', { doc, v: 0, src: 'once', seq: 1, op: ['x'] });
    await waitFor(() => ops.length > 0, 10_000, 'first');

    const second = await rawSocket(wiring.urls.at(-1)!, token);
    expect(await request(second, 'doc:op', { doc, v: 0, src: 'once', seq: 1, op: ['x'] })).toEqual({
      ok: true,
    });
    await request(first, 'doc:op', { doc, v: 1, src: 'other', seq: 1, op: [1, 'y'] });

    await waitFor(
      () => ops.flatMap((m) => m.ops).some((op) => op.src === 'other'),
      10_000,
      'second',
    );
    expect(await serverText(doc, token)).toEqual({ v: 2, text: 'xy' });
  });

  it('rejects an operation that does not fit the document after it entered the log', async () => {
    const token = await devToken(wiring.urls[0]!, newUser());
    const doc = await createDoc(wiring.urls[0]!, token);
    const socket = await rawSocket(wiring.urls.at(-1)!, token);
    await request(socket, 'doc:join', { doc });
    const rejects = collect<DocRejectMessage>(socket, 'doc:reject');

    expect(
      await request(socket, 'doc:op', { doc, v: 0, src: 'far', seq: 1, op: [5, 'x'] }),
    ).toEqual({ ok: true });

    await waitFor(() => rejects.length > 0, 10_000, 'rejection');
    expect(rejects[0]).toMatchObject({ doc, src: 'far', seq: 1, error: { code: 'INVALID_OP' } });
    expect(await serverText(doc, token)).toEqual({ v: 0, text: '' });
  });

  it('moves remote cursors with everyone’s edits', async () => {
    const { doc, ada, bob } = await adaAndBob();
    const [adaDoc, bobDoc] = [await ada.open(doc), await bob.open(doc)];
    adaDoc.insert(0, 'hello world');
    await adaDoc.whenSynced();
    await waitFor(() => bobDoc.text === 'hello world');

    adaDoc.setSelection([5, 5]);
    bobDoc.setSelection([11, 11]);
    const adaCursorAtBob = () => bobDoc.presence.get(ada.socket.id!);
    const bobCursorAtAda = () => adaDoc.presence.get(bob.socket.id!);
    await waitFor(
      () => adaCursorAtBob()?.sel[0] === 5 && bobCursorAtAda()?.sel[0] === 11,
      10_000,
      'cursors',
    );
    expect(adaCursorAtBob()).toMatchObject({ name: 'Ada', sel: [5, 5] });

    bobDoc.insert(0, '>> ');
    expect(adaCursorAtBob()!.sel).toEqual([8, 8]);
    await bobDoc.whenSynced();
    await waitFor(() => adaDoc.text === '>> hello world', 10_000, 'edit');
    expect(bobCursorAtAda()!.sel).toEqual([14, 14]);

    adaDoc.insert(8, ',');
    adaDoc.setSelection([9, 9]);
    await adaDoc.whenSynced();
    await waitFor(() => adaCursorAtBob()?.sel[0] === 9, 10_000, "Ada's cursor after her edit");
    expect(bobDoc.text).toBe('>> hello, world');
  });

  it('removes a cursor when its document is closed', async () => {
    const { doc, ada, bob } = await adaAndBob();
    const [adaDoc, bobDoc] = [await ada.open(doc), await bob.open(doc)];
    adaDoc.setSelection([0, 0]);
    await waitFor(() => bobDoc.presence.has(ada.socket.id!), 10_000, 'cursor');

    await adaDoc.close();

    await waitFor(() => !bobDoc.presence.has(ada.socket.id!), 10_000, 'removal');
  });
});

describe.each(WIRINGS)('refusals after the log (%s)', (name) => {
  let wiring: Wiring;

  beforeAll(async () => {
    wiring = await startWiring(name, { sequencer: true, env: { MAX_DOC_BYTES: '32' } });
  });

  afterAll(async () => {
    closeClients();
    await wiring?.stop();
  });

  it('rolls back a refused edit, keeps later edits, and reports the error', async () => {
    const user = newUser();
    const client = await sdkClient(wiring.urls[0]!, user);
    const token = await devToken(wiring.urls[0]!, user);
    const doc = await client.open(await createDoc(wiring.urls[0]!, token));
    const errors: CollabError[] = [];
    doc.on('error', (error) => errors.push(error));
    const view = mirror(doc);
    doc.insert(0, 'short');
    await doc.whenSynced();

    doc.insert(5, ' and far too long for this small document');
    doc.insert(0, '> ');
    await waitFor(() => errors.length > 0, 10_000, 'refusal');
    await doc.whenSynced();

    expect(errors[0]).toMatchObject({ code: 'TOO_LARGE', seq: 2 });
    expect(doc.text).toBe('> short');
    expect(view.text).toBe('> short');
    const server = await http(wiring.urls[0]!, 'GET', `/api/docs/${doc.id}/text`, { token });
    expect(server.body).toEqual({ v: doc.version, text: '> short' });
  });
});
