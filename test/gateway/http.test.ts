/**
 * The HTTP API on both wirings: documents, roles, reads, health and errors in the protocol's
 * `{code, message}` shape.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSockets, createDoc, devToken, http, newUser, rawSocket, share } from './helpers.ts';
import { WIRINGS, startWiring, type Wiring } from './wirings.ts';

describe.each(WIRINGS)('HTTP API (%s)', (name) => {
  let wiring: Wiring;
  let url: string;

  beforeAll(async () => {
    wiring = await startWiring(name);
    url = wiring.urls[0]!;
  });

  afterAll(async () => {
    closeSockets();
    await wiring?.stop();
  });

  describe('POST /api/auth/dev', () => {
    it('issues a token that the API accepts', async () => {
      const token = await devToken(url, newUser(), 'Ada Lovelace');
      expect((await http(url, 'GET', '/api/docs', { token })).status).toBe(200);
    });

    it.each([[{}], [{ user: '' }], [{ user: 'has space' }], [{ user: 'ok', role: 'admin' }]])(
      'answers %j with BAD_REQUEST',
      async (body) => {
        expect(await http(url, 'POST', '/api/auth/dev', { body })).toMatchObject({
          status: 400,
          body: { code: 'BAD_REQUEST' },
        });
      },
    );
  });

  describe('documents', () => {
    it('creates a document with a URL-safe id, owned by the caller, listed for the caller only', async () => {
      const ada = newUser('ada');
      const token = await devToken(url, ada);
      const stranger = await devToken(url, newUser());

      const created = await http(url, 'POST', '/api/docs', { token, body: { title: 'Plans' } });
      const listed = await http(url, 'GET', '/api/docs', { token });

      expect(created.status).toBe(201);
      expect(created.body.id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
      expect(listed.body).toEqual([
        expect.objectContaining({ id: created.body.id, title: 'Plans', owner: ada, role: 'owner' }),
      ]);
      expect((await http(url, 'GET', '/api/docs', { token: stranger })).body).toEqual([]);
    });

    it('creates a document without a body, titled Untitled', async () => {
      const token = await devToken(url, newUser());
      const created = await http(url, 'POST', '/api/docs', { token });
      const read = await http(url, 'GET', `/api/docs/${created.body.id}`, { token });

      expect(read.body).toMatchObject({ title: 'Untitled', role: 'owner' });
    });

    it('answers a malformed JSON body with BAD_REQUEST', async () => {
      const token = await devToken(url, newUser());
      const response = await fetch(`${url}/api/docs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{"title":',
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'BAD_REQUEST' });
    });

    it('answers a body above the limit with TOO_LARGE', async () => {
      const token = await devToken(url, newUser());
      const reply = await http(url, 'POST', '/api/docs', {
        token,
        body: { title: 'x'.repeat(20_000) },
      });
      expect(reply).toMatchObject({ status: 413, body: { code: 'TOO_LARGE' } });
    });

    it('shares a document: the new editor sees it listed with their role', async () => {
      const bob = newUser('bob');
      const owner = await devToken(url, newUser());
      const bobToken = await devToken(url, bob);
      const doc = await createDoc(url, owner);

      const shared = await http(url, 'PUT', `/api/docs/${doc}/acl/${bob}`, {
        token: owner,
        body: { role: 'editor' },
      });

      expect(shared).toEqual({ status: 200, body: { doc, user: bob, role: 'editor' } });
      expect((await http(url, 'GET', '/api/docs', { token: bobToken })).body).toEqual([
        expect.objectContaining({ id: doc, role: 'editor' }),
      ]);
    });

    it.each([
      ['an unknown role', { role: 'admin' }, 400],
      ['no role', {}, 400],
    ])('answers a role change with %s with BAD_REQUEST', async (_what, body, status) => {
      const owner = await devToken(url, newUser());
      const doc = await createDoc(url, owner);
      const reply = await http(url, 'PUT', `/api/docs/${doc}/acl/${newUser()}`, {
        token: owner,
        body,
      });
      expect(reply).toMatchObject({ status, body: { code: 'BAD_REQUEST' } });
    });

    it("keeps the creator an owner: the creator's role cannot be lowered", async () => {
      const ada = newUser();
      const owner = await devToken(url, ada);
      const doc = await createDoc(url, owner);
      const reply = await http(url, 'PUT', `/api/docs/${doc}/acl/${ada}`, {
        token: owner,
        body: { role: 'viewer' },
      });
      expect(reply).toMatchObject({ status: 400, body: { code: 'BAD_REQUEST' } });
    });

    it('answers NOT_FOUND for an unknown document', async () => {
      const token = await devToken(url, newUser());
      expect(await http(url, 'GET', '/api/docs/missing-doc/text', { token })).toMatchObject({
        status: 404,
        body: { code: 'NOT_FOUND' },
      });
    });
  });

  describe('reads', () => {
    it('reads an empty document at its head, version 0', async () => {
      const token = await devToken(url, newUser());
      const doc = await createDoc(url, token);

      expect(await http(url, 'GET', `/api/docs/${doc}/text`, { token })).toEqual({
        status: 200,
        body: { v: 0, text: '' },
      });
      expect(await http(url, 'GET', `/api/docs/${doc}/text?v=0`, { token })).toEqual({
        status: 200,
        body: { v: 0, text: '' },
      });
      expect(await http(url, 'GET', `/api/docs/${doc}/ops?from=0`, { token })).toEqual({
        status: 200,
        body: [],
      });
      expect(await http(url, 'GET', `/api/docs/${doc}/history`, { token })).toEqual({
        status: 200,
        body: [],
      });
    });

    it('lets a viewer read', async () => {
      const viewer = newUser();
      const owner = await devToken(url, newUser());
      const doc = await createDoc(url, owner);
      await share(url, owner, doc, viewer, 'viewer');

      const read = await http(url, 'GET', `/api/docs/${doc}/text`, {
        token: await devToken(url, viewer),
      });

      expect(read.status).toBe(200);
    });

    it.each([
      ['/text?v=1', 409, 'VERSION_FROM_FUTURE'],
      ['/text?v=-1', 400, 'BAD_REQUEST'],
      ['/text?v=abc', 400, 'BAD_REQUEST'],
      ['/text?x=1', 400, 'BAD_REQUEST'],
      ['/ops?from=3', 409, 'VERSION_FROM_FUTURE'],
      ['/ops?from=0&to=2', 409, 'VERSION_FROM_FUTURE'],
      ['/ops?from=5&to=2', 400, 'BAD_REQUEST'],
      ['/ops?from=0&to=99999999', 413, 'TOO_LARGE'],
    ])('answers GET …%s with %s %s', async (path, status, code) => {
      const token = await devToken(url, newUser());
      const doc = await createDoc(url, token);
      expect(await http(url, 'GET', `/api/docs/${doc}${path}`, { token })).toMatchObject({
        status,
        body: { code },
      });
    });
  });

  describe('service endpoints', () => {
    it('answers /healthz and /readyz once started', async () => {
      expect(await http(url, 'GET', '/healthz')).toEqual({ status: 200, body: { ok: true } });
      expect(await http(url, 'GET', '/readyz')).toEqual({
        status: 200,
        body: { ready: true, waiting: [] },
      });
    });

    it('exposes connected sockets and operation counters on /metrics', async () => {
      await rawSocket(url, await devToken(url, newUser()));
      const response = await fetch(`${url}/metrics`);
      const text = await response.text();

      expect(response.headers.get('content-type')).toContain('text/plain');
      expect(text).toMatch(/^gateway_connected_sockets [1-9]/m);
      expect(text).toContain('gateway_ops_submitted_total');
      expect(text).toContain('gateway_ops_delivered_total');
      expect(text).toContain('gateway_submit_to_fanout_seconds_bucket');
    });

    it('answers unknown routes with NOT_FOUND in the protocol shape', async () => {
      expect(await http(url, 'GET', '/api/nothing')).toMatchObject({
        status: 404,
        body: { code: 'NOT_FOUND' },
      });
    });

    it('answers a CORS preflight', async () => {
      const response = await fetch(`${url}/api/docs`, { method: 'OPTIONS' });
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-headers')).toContain('authorization');
    });
  });
});

describe('POST /api/auth/dev without AUTH_DEV', () => {
  let wiring: Wiring;

  beforeAll(async () => {
    wiring = await startWiring('embedded', { env: { AUTH_DEV: '0' } });
  });

  afterAll(async () => {
    await wiring?.stop();
  });

  it('does not exist', async () => {
    expect(
      await http(wiring.urls[0]!, 'POST', '/api/auth/dev', { body: { user: 'ada' } }),
    ).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND' },
    });
  });
});
