/**
 * The SDK's entry point: one connection to a gateway, through which any number of documents
 * are opened. Works in browsers and in Node. Given several gateway URLs, the client moves to
 * the next one when its gateway stops answering, and resumes its documents there.
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

/** The longest pause between connection attempts once every gateway URL has failed. */
const FAILOVER_MAX_DELAY_MS = 5_000;
const FAILOVER_DELAY_MS = 500;

export class CollabClient extends Emitter<ClientEvents> {
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
  private readonly urls: readonly string[];
  private urlIndex = 0;
  private current: ClientSocket;
  /** Connection attempts that failed since the last successful connection. */
  private failedAttempts = 0;
  private failoverTimer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  /** @internal Use `connect(url, options)`. */
  constructor(
    url: string | readonly string[],
    private readonly options: ConnectOptions,
  ) {
    super();
    this.urls = typeof url === 'string' ? [url] : [...url];
    if (this.urls.length === 0) throw new CollabError('BAD_REQUEST', 'no gateway URL given');
    this.src = options.src ?? randomId();
    this.syncTimeoutMs = options.syncTimeoutMs ?? 5_000;
    this.current = this.openSocket(this.urls[0]!, options.socket?.autoConnect ?? true);
  }

  /**
   * The Socket.IO socket underneath, for diagnostics and tests. With several gateway URLs it
   * is replaced by a new one each time the client moves to another gateway.
   *
   * @example
   * client.socket.io.engine.close(); // simulate a dropped connection
   */
  get socket(): ClientSocket {
    return this.current;
  }

  /**
   * The gateway URL this client is connected to, or trying to reach.
   *
   * @example
   * console.log(`connected through ${client.url}`);
   */
  get url(): string {
    return this.urls[this.urlIndex]!;
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
    this.closed = true;
    if (this.failoverTimer) clearTimeout(this.failoverTimer);
    this.socket.disconnect();
  }

  private link(): DocumentLink {
    // Documents read the socket at every use: it changes when the client moves to another
    // gateway.
    const socket = () => this.socket;
    return {
      get socket() {
        return socket();
      },
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

  private openSocket(url: string, autoConnect: boolean): ClientSocket {
    const token = this.options.token;
    const socket: ClientSocket = io(url, {
      ...this.options.socket,
      autoConnect,
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
    this.listen(socket);
    return socket;
  }

  private listen(socket: ClientSocket): void {
    socket.on('connect', () => this.connected());
    socket.on('disconnect', (reason) => {
      for (const { doc } of this.docs.values()) doc.disconnected();
      this.emit('disconnect', { reason });
      // Socket.IO reconnects by itself after a lost connection, but not after `close()` or
      // after the server disconnected this client on purpose.
      if (reason !== 'io client disconnect' && reason !== 'io server disconnect') {
        this.failOver(false);
      }
    });
    socket.on('connect_error', (error) => {
      // Socket.IO retries network failures by itself (with several URLs, the client moves on
      // instead); a refusal by the server is final.
      if (socket.active) {
        this.failOver(true);
        return;
      }
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
    this.failedAttempts = 0;
    if (reconnect) for (const { doc } of this.docs.values()) void doc.rejoin();
    this.emit('connect', { reconnect });
  }

  /**
   * With several gateway URLs, drops the socket to the current gateway and connects to the
   * next: at once after a lost connection (another gateway is probably fine), and after a
   * failed attempt only once every URL has been tried, then with a doubling pause, so that a
   * client with every gateway down does not spin.
   */
  private failOver(attemptFailed: boolean): void {
    if (this.urls.length < 2 || this.closed || this.failoverTimer) return;
    if (attemptFailed) this.failedAttempts++;
    const rounds = Math.floor(this.failedAttempts / this.urls.length);
    const delay =
      rounds === 0 ? 0 : Math.min(FAILOVER_MAX_DELAY_MS, FAILOVER_DELAY_MS * 2 ** (rounds - 1));

    const retired = this.current;
    retired.off();
    retired.disconnect();
    this.urlIndex = (this.urlIndex + 1) % this.urls.length;
    this.current = this.openSocket(this.url, false);
    this.failoverTimer = setTimeout(() => {
      this.failoverTimer = null;
      if (!this.closed) this.current.connect();
    }, delay);
  }
}

/**
 * Connects to a gateway. Given several gateway URLs, the client connects to the first, and
 * whenever its connection is lost or cannot be made it moves on to the next (wrapping around),
 * where its documents catch up and resubmit their unconfirmed edits as after any reconnect.
 *
 * @example
 * const client = connect('https://collab.example.com', { token });
 * const doc = await client.open(docId);
 *
 * @example
 * const client = connect(['https://gw1.example.com', 'https://gw2.example.com'], { token });
 * client.on('connect', () => console.log('editing through', client.url));
 */
export function connect(url: string | readonly string[], options: ConnectOptions): CollabClient {
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
