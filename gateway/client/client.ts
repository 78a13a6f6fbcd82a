/**
 * The SDK's entry point: one connection to a gateway, through which any number of documents
 * are opened. Works in browsers and in Node.
 */
import { io, type ManagerOptions, type SocketOptions } from 'socket.io-client';
import { CollabDocument, type DocumentLink } from './document.ts';
import { Emitter } from './emitter.ts';
import { CollabError, isWireError } from './errors.ts';
import type { ClientSocket } from './requests.ts';

export interface ConnectOptions {
  /** The access token, or a function that returns a fresh one for every (re)connection. */
  token: string | (() => string | Promise<string>);
  /**
   * This client's id in submissions. Chosen at random by default; it stays the same across
   * reconnects, which is what lets the server recognise a resubmission.
   */
  src?: string;
  /**
   * How long an acknowledged submission may take to come back sequenced before the document
   * fetches what it missed; 5 seconds by default.
   */
  syncTimeoutMs?: number;
  /** Passed to Socket.IO, e.g. `{ transports: ['websocket'] }`. */
  socket?: Partial<ManagerOptions & SocketOptions>;
}

export interface ClientEvents {
  connect: { reconnect: boolean };
  disconnect: { reason: string };
  /** The connection was refused, e.g. `UNAUTHENTICATED`; no retry follows. */
  error: CollabError;
}

export class CollabClient extends Emitter<ClientEvents> {
  /**
   * The Socket.IO socket underneath, for diagnostics and tests.
   *
   * @example
   * client.socket.io.engine.close(); // simulate a dropped connection
   */
  readonly socket: ClientSocket;

  /**
   * The client id carried by every submission of this client.
   *
   * @example
   * console.log(client.src);
   */
  readonly src: string;

  private readonly docs = new Map<string, { doc: CollabDocument; loaded: Promise<void> }>();
  private readonly seqs = new Map<string, number>();
  private readonly syncTimeoutMs: number;
  private connectedOnce = false;
  private refusal: CollabError | null = null;

  /** @internal Use `connect(url, options)`. */
  constructor(url: string, options: ConnectOptions) {
    super();
    this.src = options.src ?? randomId();
    this.syncTimeoutMs = options.syncTimeoutMs ?? 5_000;
    const token = options.token;
    this.socket = io(url, {
      ...options.socket,
      // A token function that fails sends no token: the server then refuses the connection
      // with UNAUTHENTICATED, which reaches `ready()` and the `error` event.
      auth: (cb) => {
        Promise.resolve()
          .then(() => (typeof token === 'function' ? token() : token))
          .then(
            (value) => cb({ token: value }),
            () => cb({}),
          );
      },
    });
    this.listen();
  }

  /**
   * Resolves once connected, waiting through network failures (Socket.IO keeps retrying);
   * rejects if the server refuses the connection.
   *
   * @example
   * await client.ready();
   */
  ready(): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    if (this.refusal) return Promise.reject(this.refusal);
    return new Promise((resolve, reject) => {
      const done = () => {
        this.off('connect', done);
        this.off('error', fail);
        resolve();
      };
      const fail = (error: CollabError) => {
        this.off('connect', done);
        this.off('error', fail);
        reject(error);
      };
      this.on('connect', done).on('error', fail);
    });
  }

  /**
   * Opens a document: joins it, loads its text, and keeps it in sync from then on. Opening a
   * document twice returns the same handle.
   *
   * @example
   * const doc = await client.open('Jm3x0K1d2y9f');
   * doc.on('change', ({ op }) => editor.apply(op));
   * doc.insert(0, 'Hello');
   */
  async open(docId: string): Promise<CollabDocument> {
    const open = this.docs.get(docId);
    if (open) {
      await open.loaded;
      return open.doc;
    }
    const doc = new CollabDocument(docId, this.link());
    const loaded = this.ready().then(() => doc.load());
    this.docs.set(docId, { doc, loaded });
    try {
      await loaded;
    } catch (error) {
      this.docs.delete(docId);
      throw CollabError.from(error);
    }
    return doc;
  }

  /**
   * Disconnects; open documents stop receiving anything.
   *
   * @example
   * client.close();
   */
  close(): void {
    this.socket.disconnect();
  }

  private link(): DocumentLink {
    return {
      socket: this.socket,
      src: this.src,
      syncTimeoutMs: this.syncTimeoutMs,
      nextSeq: (doc) => this.seqs.get(doc) ?? 1,
      // The seq counter outlives the handle: a document reopened by this client continues
      // its numbering, or the server would take its new edits for old duplicates.
      closed: (doc, nextSeq) => {
        this.seqs.set(doc, nextSeq);
        this.docs.delete(doc);
      },
    };
  }

  private listen(): void {
    const socket = this.socket;
    socket.on('connect', () => this.connected());
    socket.on('disconnect', (reason) => {
      for (const { doc } of this.docs.values()) doc.disconnected();
      this.emit('disconnect', { reason });
    });
    socket.on('connect_error', (error) => {
      // Socket.IO retries network failures by itself; a refusal by the server is final.
      if (socket.active) return;
      const data: unknown = (error as { data?: unknown }).data;
      this.refusal = isWireError(data)
        ? CollabError.fromWire(data)
        : new CollabError('UNAVAILABLE', error.message);
      this.emit('error', this.refusal);
    });
    socket.on('doc:ops', (message) => this.docs.get(message?.doc)?.doc.receiveOps(message.ops));
    socket.on('doc:reject', (message) =>
      this.docs
        .get(message?.doc)
        ?.doc.receiveReject(message.src, message.seq, CollabError.fromWire(message.error)),
    );
    socket.on('presence', (message) => {
      const doc = this.docs.get(message?.doc)?.doc;
      for (const entry of message?.users ?? []) doc?.receivePresence(entry);
    });
  }

  private connected(): void {
    const reconnect = this.connectedOnce;
    this.connectedOnce = true;
    this.refusal = null;
    if (reconnect) for (const { doc } of this.docs.values()) void doc.rejoin();
    this.emit('connect', { reconnect });
  }
}

/**
 * Connects to a gateway.
 *
 * @example
 * const client = connect('https://collab.example.com', { token });
 * const doc = await client.open(docId);
 */
export function connect(url: string, options: ConnectOptions): CollabClient {
  return new CollabClient(url, options);
}

/** 16 random bytes, URL-safe: unique enough to tell clients apart forever. */
function randomId(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}
