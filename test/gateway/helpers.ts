/** Small tools for speaking the gateway protocol in tests: tokens, HTTP, raw sockets. */
import { type as otText } from 'ot-text-unicode';
import { io, type Socket } from 'socket.io-client';
import type { Config } from '../../common/config.ts';
import { TokenService } from '../../gateway/auth/tokens.ts';
import type { Ack } from '../../gateway/client/protocol.ts';
import { connect, type CollabClient, type CollabDocument } from '../../gateway/client/index.ts';

/** A JSON response body whose fields a test reads without declaring them. */
export type JsonBody = { [field: string]: unknown };

export interface HttpReply<T = unknown> {
  status: number;
  body: T;
}

/**
 * Calls the gateway's HTTP API.
 *
 * @example
 * const { status, body } = await http(url, 'POST', '/api/docs', { token, body: { title: 'x' } });
 */
export async function http<T = JsonBody>(
  url: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<HttpReply<T>> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${url}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** A token from the gateway's dev auth endpoint. */
export async function devToken(url: string, user: string, name?: string): Promise<string> {
  const reply = await http<{ token: string }>(url, 'POST', '/api/auth/dev', {
    body: name === undefined ? { user } : { user, name },
  });
  if (reply.status !== 200) throw new Error(`dev auth failed: ${JSON.stringify(reply.body)}`);
  return reply.body.token;
}

/** A token signed like the gateway's, for claims dev auth cannot produce (an expired one). */
export function signedToken(
  config: Config,
  user: string,
  expiresIn: string | number,
): Promise<string> {
  return new TokenService(config.JWT_SECRET).issue({ user }, expiresIn);
}

/** Creates a document owned by the token's user and returns its id. */
export async function createDoc(url: string, token: string, title?: string): Promise<string> {
  const reply = await http<{ id: string }>(url, 'POST', '/api/docs', {
    token,
    body: title === undefined ? {} : { title },
  });
  if (reply.status !== 201) throw new Error(`create failed: ${JSON.stringify(reply.body)}`);
  return reply.body.id;
}

export async function share(url: string, token: string, doc: string, user: string, role: string) {
  const reply = await http(url, 'PUT', `/api/docs/${doc}/acl/${user}`, { token, body: { role } });
  if (reply.status !== 200) throw new Error(`share failed: ${JSON.stringify(reply.body)}`);
}

const openSockets = new Set<Socket>();

/**
 * A connected raw Socket.IO client (websocket only), or the connection error's data.
 *
 * @example
 * const socket = await rawSocket(url, token);
 */
export async function rawSocket(url: string, token?: string): Promise<Socket> {
  const socket = io(url, {
    auth: token === undefined ? {} : { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  openSockets.add(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
  return socket;
}

/** The `data` of the error that refused a connection. */
export async function refusal(url: string, auth: Record<string, unknown>): Promise<unknown> {
  const socket = io(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
  openSockets.add(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('the connection was accepted')));
    socket.once('connect_error', (error) => resolve((error as { data?: unknown }).data));
  });
}

export function closeSockets(): void {
  for (const socket of openSockets) socket.disconnect();
  openSockets.clear();
}

/**
 * Emits an event with an acknowledgement and resolves with the reply.
 *
 * @example
 * const reply = await request(socket, 'doc:join', { doc });
 */
export function request<T extends object = Record<string, unknown>>(
  socket: Socket,
  event: string,
  ...args: unknown[]
): Promise<Ack<T>> {
  return socket.timeout(10_000).emitWithAck(event, ...args) as Promise<Ack<T>>;
}

/**
 * Waits until `check` returns (or resolves to) a truthy value, and returns it.
 *
 * @example
 * await waitFor(() => doc.text === 'hello');
 */
export async function waitFor<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Collects the messages of one event on a socket. */
export function collect<T = unknown>(socket: Socket, event: string): T[] {
  const messages: T[] = [];
  socket.on(event, (message: T) => messages.push(message));
  return messages;
}

let users = 0;

/** A user id no other test uses. */
export function newUser(prefix = 'user'): string {
  return `${prefix}${process.pid}x${Date.now().toString(36)}x${users++}`;
}

const openClients = new Set<CollabClient>();

/**
 * An SDK client connected as `user`, over websocket.
 *
 * @example
 * const ada = await sdkClient(url, 'ada');
 * const doc = await ada.open(docId);
 */
export async function sdkClient(url: string, user: string, name?: string): Promise<CollabClient> {
  const token = await devToken(url, user, name);
  const client = connect(url, {
    token,
    socket: { transports: ['websocket'] },
    syncTimeoutMs: 2_000,
  });
  openClients.add(client);
  await client.ready();
  return client;
}

export function closeClients(): void {
  for (const client of openClients) client.close();
  openClients.clear();
}

/**
 * Replays a document's change events on a string, the way an editor applies them, so a test
 * can check that the events alone reproduce the text.
 */
export function mirror(doc: CollabDocument): { text: string } {
  const copy = { text: doc.text };
  doc.on('change', ({ op }) => {
    copy.text = otText.apply(copy.text, op);
  });
  doc.on('reset', ({ text }) => {
    copy.text = text;
  });
  return copy;
}
