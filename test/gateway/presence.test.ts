/**
 * Presence on both wirings: cursors reach the other people in the document (across gateways
 * in the distributed wiring), late joiners get the cursors already there, and a cursor goes
 * away when its socket leaves or disconnects.
 */
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PresenceMessage } from '../../gateway/client/protocol.ts';
import { colorOf } from '../../gateway/presence/color.ts';
import {
  closeSockets,
  collect,
  createDoc,
  devToken,
  newUser,
  rawSocket,
  request,
  share,
  waitFor,
} from './helpers.ts';
import { WIRINGS, startWiring, type Wiring } from './wirings.ts';

describe.each(WIRINGS)('presence (%s)', (name) => {
  let wiring: Wiring;

  beforeAll(async () => {
    wiring = await startWiring(name);
  });

  afterAll(async () => {
    closeSockets();
    await wiring?.stop();
  });

  /** Ada owns a document that Bob may edit; each is connected to a different gateway if any. */
  async function adaAndBob() {
    const [first, second] = [wiring.urls[0]!, wiring.urls.at(-1)!];
    const [adaId, bobId] = [newUser('ada'), newUser('bob')];
    const adaToken = await devToken(first, adaId, 'Ada');
    const bobToken = await devToken(second, bobId, 'Bob');
    const doc = await createDoc(first, adaToken);
    await share(first, adaToken, doc, bobId, 'editor');
    const ada = await rawSocket(first, adaToken);
    const bob = await rawSocket(second, bobToken);
    return { doc, ada, bob, adaId, bobId, second, bobToken };
  }

  function cursorsOf(messages: PresenceMessage[], id: string) {
    return messages.flatMap((m) => m.users).filter((u) => u.id === id);
  }

  it("shows each person the other's cursor, with name and a color derived from the user", async () => {
    const { doc, ada, bob, adaId } = await adaAndBob();
    const atBob = collect<PresenceMessage>(bob, 'presence');
    await request(ada, 'doc:join', { doc });
    await request(bob, 'doc:join', { doc });

    expect(await request(ada, 'presence:set', { doc, v: 0, sel: [0, 0] })).toEqual({ ok: true });

    const [cursor] = await waitFor(
      () => cursorsOf(atBob, ada.id!).length > 0 && cursorsOf(atBob, ada.id!),
    );
    expect(cursor).toEqual({
      id: ada.id,
      user: adaId,
      name: 'Ada',
      color: colorOf(adaId),
      v: 0,
      sel: [0, 0],
    });
    expect(atBob.every((m) => m.doc === doc)).toBe(true);
  });

  it('sends a joining socket the cursors already in the document', async () => {
    const { doc, ada, bob } = await adaAndBob();
    await request(ada, 'doc:join', { doc });
    await request(ada, 'presence:set', { doc, v: 0, sel: [0, 0] });
    const atBob = collect<PresenceMessage>(bob, 'presence');

    await request(bob, 'doc:join', { doc });

    await waitFor(() => cursorsOf(atBob, ada.id!).length > 0, 5_000, "Ada's cursor");
    expect(cursorsOf(atBob, ada.id!)[0]!.sel).toEqual([0, 0]);
  });

  it('coalesces rapid cursor moves and delivers the last position', async () => {
    const { doc, ada, bob } = await adaAndBob();
    await request(ada, 'doc:join', { doc });
    await request(bob, 'doc:join', { doc });
    const atBob = collect<PresenceMessage>(bob, 'presence');

    for (let i = 0; i < 10; i++) ada.emit('presence:set', { doc, v: 0, sel: [i, i] });
    await request(ada, 'presence:set', { doc, v: 0, sel: [10, 10] });

    await waitFor(() => cursorsOf(atBob, ada.id!).at(-1)?.sel?.[0] === 10, 5_000, 'last move');
    expect(atBob.length).toBeLessThan(11);
  });

  it('removes the cursor when its socket leaves the document', async () => {
    const { doc, ada, bob } = await adaAndBob();
    await request(ada, 'doc:join', { doc });
    await request(bob, 'doc:join', { doc });
    const atBob = collect<PresenceMessage>(bob, 'presence');
    await request(ada, 'presence:set', { doc, v: 0, sel: [0, 0] });
    await waitFor(() => cursorsOf(atBob, ada.id!).length > 0);

    expect(await request(ada, 'doc:leave', { doc })).toEqual({ ok: true });

    await waitFor(() => cursorsOf(atBob, ada.id!).at(-1)?.sel === null, 5_000, 'removal');
  });

  it('removes the cursor when its socket disconnects', async () => {
    const { doc, ada, bob } = await adaAndBob();
    const adaId = ada.id!;
    await request(ada, 'doc:join', { doc });
    await request(bob, 'doc:join', { doc });
    const atBob = collect<PresenceMessage>(bob, 'presence');
    await request(ada, 'presence:set', { doc, v: 0, sel: [0, 0] });
    await waitFor(() => cursorsOf(atBob, adaId).length > 0);

    ada.disconnect();

    await waitFor(() => cursorsOf(atBob, adaId).at(-1)?.sel === null, 5_000, 'removal');
  });

  it('does not send cursors to sockets that have not joined the document', async () => {
    const { doc, ada, second, bobToken } = await adaAndBob();
    const outsider: Socket = await rawSocket(second, bobToken);
    const atOutsider = collect<PresenceMessage>(outsider, 'presence');
    await request(ada, 'doc:join', { doc });

    await request(ada, 'presence:set', { doc, v: 0, sel: [0, 0] });
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(atOutsider).toEqual([]);
  });
});
