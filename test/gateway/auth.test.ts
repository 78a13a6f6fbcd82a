/**
 * Authentication and roles, on both wirings: who may connect, join, submit and read — and
 * that a refused submission never reaches the log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../gateway/client/index.ts';
import {
  closeSockets,
  createDoc,
  devToken,
  http,
  newUser,
  rawSocket,
  refusal,
  request,
  share,
  signedToken,
} from './helpers.ts';
import { watchSubmissions, type SubmissionWatcher } from './log-watcher.ts';
import { WIRINGS, startWiring, type Wiring } from './wirings.ts';

describe.each(WIRINGS)('authentication and roles (%s)', (name) => {
  let wiring: Wiring;
  let watcher: SubmissionWatcher;
  let url: string;

  beforeAll(async () => {
    wiring = await startWiring(name);
    url = wiring.urls.at(-1)!;
    watcher = await watchSubmissions(wiring.log);
  });

  afterAll(async () => {
    closeSockets();
    await watcher?.stop();
    await wiring?.stop();
  });

  it('refuses a connection without a token with UNAUTHENTICATED', async () => {
    expect(await refusal(url, {})).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses a connection with a token that is not a JWT, or signed with another key', async () => {
    const foreign = await signedToken(
      { ...wiring.config, JWT_SECRET: 'another-secret-entirely!' },
      'eve',
      '1h',
    );

    expect(await refusal(url, { token: 'not-a-jwt' })).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await refusal(url, { token: foreign })).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await refusal(url, { token: 42 })).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses a connection with an expired token, saying so', async () => {
    const expired = await signedToken(wiring.config, 'ada', Math.floor(Date.now() / 1000) - 60);

    expect(await refusal(url, { token: expired })).toEqual({
      code: 'UNAUTHENTICATED',
      message: 'the access token has expired',
    });
  });

  it('rejects the SDK’s open() with UNAUTHENTICATED when the token is refused', async () => {
    const client = connect(url, { token: 'not-a-jwt', socket: { transports: ['websocket'] } });
    try {
      await expect(client.open('any-document')).rejects.toMatchObject({
        name: 'CollabError',
        code: 'UNAUTHENTICATED',
      });
    } finally {
      client.close();
    }
  });

  it('lets the SDK fetch a fresh token for each connection', async () => {
    const user = newUser();
    let calls = 0;
    const client = connect(url, {
      token: async () => {
        calls++;
        return devToken(url, user);
      },
      socket: { transports: ['websocket'] },
    });
    try {
      await client.ready();
      expect(calls).toBe(1);
    } finally {
      client.close();
    }
  });

  it('refuses HTTP calls without a valid bearer token', async () => {
    expect(await http(url, 'GET', '/api/docs')).toMatchObject({
      status: 401,
      body: { code: 'UNAUTHENTICATED' },
    });
    expect(await http(url, 'GET', '/api/docs', { token: 'garbage' })).toMatchObject({
      status: 401,
    });
  });

  it('refuses to let a user without a role join, read or submit', async () => {
    const owner = await devToken(url, newUser('owner'));
    const stranger = await devToken(url, newUser('stranger'));
    const doc = await createDoc(url, owner);
    const socket = await rawSocket(url, stranger);

    const join = await request(socket, 'doc:join', { doc });
    const op = await request(socket, 'doc:op', { doc, v: 0, src: 's', seq: 1, op: ['x'] });
    const text = await http(url, 'GET', `/api/docs/${doc}/text`, { token: stranger });

    expect(join).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(op).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(text).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
  });

  it('lets a viewer join and read but not submit, and writes nothing to the log for it', async () => {
    const ownerId = newUser('owner');
    const viewerId = newUser('viewer');
    const owner = await devToken(url, ownerId);
    const viewer = await devToken(url, viewerId);
    const doc = await createDoc(url, owner);
    await share(url, owner, doc, viewerId, 'viewer');
    const viewerSocket = await rawSocket(url, viewer);
    const ownerSocket = await rawSocket(url, owner);

    const join = await request(viewerSocket, 'doc:join', { doc });
    const refused = await request(viewerSocket, 'doc:op', {
      doc,
      v: 0,
      src: 'v',
      seq: 1,
      op: ['no'],
    });
    const accepted = await request(ownerSocket, 'doc:op', {
      doc,
      v: 0,
      src: 'o',
      seq: 1,
      op: ['yes'],
    });

    expect(join).toEqual({ ok: true, v: 0, text: '' });
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'FORBIDDEN',
        message: `your role on document ${doc} is viewer; this needs editor`,
      },
    });
    expect(accepted).toEqual({ ok: true });
    await watcher.seen(doc, 1);
    expect(watcher.forDoc(doc).map((s) => s.user)).toEqual([ownerId]);
  });

  it('answers NOT_FOUND for a document that does not exist', async () => {
    const socket = await rawSocket(url, await devToken(url, newUser()));

    expect(await request(socket, 'doc:join', { doc: 'no-such-document' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('lets only the owner change roles', async () => {
    const editorId = newUser('editor');
    const owner = await devToken(url, newUser('owner'));
    const editor = await devToken(url, editorId);
    const doc = await createDoc(url, owner);
    await share(url, owner, doc, editorId, 'editor');

    const byEditor = await http(url, 'PUT', `/api/docs/${doc}/acl/${newUser()}`, {
      token: editor,
      body: { role: 'viewer' },
    });

    expect(byEditor).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
  });

  it('takes a user whose role was removed out of the document at once', async () => {
    const editorId = newUser('editor');
    const owner = await devToken(url, newUser('owner'));
    const doc = await createDoc(url, owner);
    await share(url, owner, doc, editorId, 'editor');
    const socket = await rawSocket(wiring.urls[0]!, await devToken(url, editorId));
    expect(await request(socket, 'doc:join', { doc })).toMatchObject({ ok: true });

    const removed = await http(url, 'DELETE', `/api/docs/${doc}/acl/${editorId}`, { token: owner });
    const op = await request(socket, 'doc:op', { doc, v: 0, src: 'e', seq: 1, op: ['x'] });

    expect(removed).toMatchObject({ status: 200, body: { role: null } });
    expect(op).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
