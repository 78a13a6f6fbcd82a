/**
 * Bad input on every socket event, on both wirings: each is answered with a protocol error,
 * the socket and the server stay up, and the document does not change.
 */
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeSockets, createDoc, devToken, http, newUser, rawSocket, request } from './helpers.ts';
import { watchSubmissions, type SubmissionWatcher } from './log-watcher.ts';
import { WIRINGS, startWiring, type Wiring } from './wirings.ts';

const OPS_PER_SECOND = 20;

describe.each(WIRINGS)('bad input (%s)', (name) => {
  let wiring: Wiring;
  let watcher: SubmissionWatcher;
  let url: string;
  let token: string;
  let doc: string;
  let socket: Socket;

  beforeAll(async () => {
    wiring = await startWiring(name, { limits: { opsPerSecond: OPS_PER_SECOND } });
    url = wiring.urls[0]!;
    watcher = await watchSubmissions(wiring.log);
  });

  beforeEach(async () => {
    token = await devToken(url, newUser());
    doc = await createDoc(url, token);
    socket = await rawSocket(url, token);
  });

  afterAll(async () => {
    closeSockets();
    await watcher?.stop();
    await wiring?.stop();
  });

  /** The document is still empty, nothing reached the log, and the socket still answers. */
  async function expectUnharmed(): Promise<void> {
    expect(socket.connected).toBe(true);
    expect(await request(socket, 'doc:join', { doc })).toEqual({ ok: true, v: 0, text: '' });
    expect(await http(url, 'GET', `/api/docs/${doc}/text`, { token })).toMatchObject({
      status: 200,
      body: { v: 0, text: '' },
    });
    expect(watcher.forDoc(doc)).toEqual([]);
  }

  const notObjects: unknown[] = ['doc', 42, null, [1, 2], true];

  describe.each(['doc:join', 'doc:leave', 'doc:op', 'presence:set'])('%s', (event) => {
    it.each(notObjects)('answers BAD_REQUEST to the payload %j', async (payload) => {
      expect(await request(socket, event, payload)).toEqual({
        ok: false,
        error: { code: 'BAD_REQUEST', message: 'the payload must be an object' },
      });
      await expectUnharmed();
    });

    it('answers BAD_REQUEST to an unknown field', async () => {
      const reply = await request(socket, event, { doc, v: 0, extra: 1 });
      expect(reply).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      await expectUnharmed();
    });

    it('answers BAD_REQUEST to a document id that is not one', async () => {
      for (const bad of ['', 'has space', 'x'.repeat(65), 7, '../etc']) {
        const reply = await request(socket, event, { doc: bad });
        expect(reply).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      }
      await expectUnharmed();
    });

    it('survives the event without an acknowledgement callback', async () => {
      socket.emit(event, { doc, v: 0, src: 's', seq: 1, op: ['x'], sel: null });
      socket.emit(event);
      socket.emit(event, 'x', 'y', 'z');
      await new Promise((resolve) => setTimeout(resolve, 200));
      // The valid doc:op above had no ack but is a real submission; take it out of the check.
      const submitted = watcher.forDoc(doc).length;
      expect(socket.connected).toBe(true);
      expect(await request(socket, 'doc:join', { doc })).toMatchObject({ ok: true });
      if (event !== 'doc:op') expect(submitted).toBe(0);
    });
  });

  describe('doc:join', () => {
    it.each([
      [{ v: -1 }, 'BAD_REQUEST'],
      [{ v: 1.5 }, 'BAD_REQUEST'],
      [{ v: '3' }, 'BAD_REQUEST'],
      [{ v: 1 }, 'VERSION_FROM_FUTURE'],
      [{ v: 2 ** 60 }, 'BAD_REQUEST'],
    ])('answers %j with %s', async (fields, code) => {
      const reply = await request(socket, 'doc:join', { doc, ...fields });
      expect(reply).toMatchObject({ ok: false, error: { code } });
      await expectUnharmed();
    });

    it('answers NOT_FOUND for an unknown document', async () => {
      const reply = await request(socket, 'doc:join', { doc: 'unknown-document-id' });
      expect(reply).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      await expectUnharmed();
    });
  });

  describe('doc:op', () => {
    const valid = () => ({ doc, v: 0, src: 'client', seq: 1, op: ['hi'] });

    it.each([
      ['a string version', 'BAD_REQUEST', { v: '0' }],
      ['a negative version', 'BAD_REQUEST', { v: -1 }],
      ['a seq of zero', 'BAD_REQUEST', { seq: 0 }],
      ['a negative seq', 'BAD_REQUEST', { seq: -3 }],
      ['a fractional seq', 'BAD_REQUEST', { seq: 1.5 }],
      ['an empty src', 'BAD_REQUEST', { src: '' }],
      ['a src of 65 characters', 'BAD_REQUEST', { src: 's'.repeat(65) }],
      ['an op that is not an array', 'BAD_REQUEST', { op: 'hi' }],
      ['a zero skip', 'INVALID_OP', { op: [0, 'x'] }],
      ['a negative skip', 'INVALID_OP', { op: [-2, 'x'] }],
      ['an empty insert', 'INVALID_OP', { op: [''] }],
      ['a delete of zero', 'INVALID_OP', { op: [{ d: 0 }] }],
      ['a trailing skip', 'INVALID_OP', { op: ['x', 5] }],
      ['an unknown component', 'INVALID_OP', { op: [{ x: 1 }] }],
      ['a nested array', 'INVALID_OP', { op: [['x']] }],
      ['an unpaired surrogate', 'INVALID_OP', { op: ['\ud800'] }],
    ])('answers %s with %s', async (_what, code, fields) => {
      const reply = await request(socket, 'doc:op', { ...valid(), ...fields });
      expect(reply).toMatchObject({ ok: false, error: { code } });
      await expectUnharmed();
    });

    it.each([['src'], ['seq'], ['v'], ['op'], ['doc']])(
      'answers a missing %s with BAD_REQUEST',
      async (field) => {
        const payload: Record<string, unknown> = valid();
        delete payload[field];
        expect(await request(socket, 'doc:op', payload)).toMatchObject({
          ok: false,
          error: { code: 'BAD_REQUEST' },
        });
        await expectUnharmed();
      },
    );

    it('answers an insert above the size limit with TOO_LARGE', async () => {
      const text = 'x'.repeat(wiring.config.MAX_OP_INSERT_BYTES + 1);
      const reply = await request(socket, 'doc:op', { ...valid(), op: [text] });
      expect(reply).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } });
      await expectUnharmed();
    });

    it('answers an operation with too many components with TOO_LARGE', async () => {
      const op = Array.from({ length: 10_001 }, (_, i) => (i % 2 ? 1 : 'x'));
      const reply = await request(socket, 'doc:op', { ...valid(), op });
      expect(reply).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } });
      await expectUnharmed();
    });

    it('answers NOT_FOUND for an unknown document', async () => {
      const reply = await request(socket, 'doc:op', { ...valid(), doc: 'unknown-document-id' });
      expect(reply).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      await expectUnharmed();
    });

    it('refuses a seq that does not increase, after accepting the first', async () => {
      const other = await createDoc(url, token);
      const first = await request(socket, 'doc:op', { ...valid(), doc: other, seq: 2 });
      const again = await request(socket, 'doc:op', { ...valid(), doc: other, seq: 2 });
      const back = await request(socket, 'doc:op', { ...valid(), doc: other, seq: 1 });

      expect(first).toEqual({ ok: true });
      expect(again).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      expect(back).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      await watcher.seen(other, 2);
      expect(watcher.forDoc(other).map((s) => s.seq)).toEqual([2]);
    });

    it('answers RATE_LIMITED with a retry time once a socket submits too fast', async () => {
      const other = await createDoc(url, token);
      const replies = [];
      for (let seq = 1; seq <= OPS_PER_SECOND + 1; seq++) {
        replies.push(await request(socket, 'doc:op', { ...valid(), doc: other, seq }));
      }

      expect(replies.slice(0, OPS_PER_SECOND).every((r) => r.ok)).toBe(true);
      const limited = replies.at(-1)!;
      expect(limited).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
      expect(!limited.ok && limited.error.retryAfterMs).toBeGreaterThan(0);
    });
  });

  describe('presence:set', () => {
    it('answers BAD_REQUEST when the document was not joined', async () => {
      const reply = await request(socket, 'presence:set', { doc, v: 0, sel: [0, 0] });
      expect(reply).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    });

    it.each([
      ['a selection with one end', { sel: [1] }],
      ['a negative position', { sel: [-1, 0] }],
      ['positions as strings', { sel: ['0', '0'] }],
      ['a missing version', { v: undefined }],
      ['a missing selection', { sel: undefined }],
    ])('answers %s with BAD_REQUEST', async (_what, fields) => {
      await request(socket, 'doc:join', { doc });
      const reply = await request(socket, 'presence:set', { doc, v: 0, sel: [0, 0], ...fields });
      expect(reply).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      await expectUnharmed();
    });
  });

  it('answers an unknown event with BAD_REQUEST', async () => {
    expect(await request(socket, 'doc:delete', { doc })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    await expectUnharmed();
  });

  it('drops a connection whose message exceeds the frame limit, and keeps serving others', async () => {
    const huge = 'x'.repeat(8 * wiring.config.MAX_OP_INSERT_BYTES);
    const closed = new Promise((resolve) => socket.once('disconnect', resolve));
    socket.emit('doc:op', { doc, v: 0, src: 's', seq: 1, op: [huge] }, () => undefined);
    await closed;

    socket = await rawSocket(url, token);
    await expectUnharmed();
  });
});
