/**
 * Presence: who has which document open, and where their cursor is. Presence is ephemeral —
 * it travels through the Socket.IO adapter only, never through Kafka or a store.
 *
 * Each gateway knows the cursors of its own sockets. Changes are coalesced per document and
 * broadcast to the document's room once per tick, so that a hundred people moving their
 * cursors cost one message per tick instead of a hundred. A socket that joins asks every
 * gateway for the cursors it knows, and gets them all in one `presence` message.
 */
import type { Logger } from '../../common/logger.ts';
import type { PresenceEntry, Selection } from '../client/protocol.ts';
import type { GatewayServer, GatewaySocket } from '../socket/context.ts';
import { docRoom } from '../socket/rooms.ts';
import { colorOf } from './color.ts';
import { withTimeout } from '../../common/with-timeout.ts';

/** How long a joining socket waits for other gateways' cursors before it goes without. */
const SNAPSHOT_TIMEOUT_MS = 1_000;

export class PresenceHub {
  /** The visible cursors of this gateway's sockets: doc → socket id → entry. */
  private readonly local = new Map<string, Map<string, PresenceEntry>>();
  /** Changes not yet broadcast: doc → socket id → entry. */
  private readonly pending = new Map<string, Map<string, PresenceEntry>>();
  private readonly timer: NodeJS.Timeout;

  /**
   * @param clustered whether other gateways share the adapter; the in-memory adapter of the
   *   embedded mode cannot carry server-to-server requests, and there is nobody to ask.
   */
  constructor(
    private readonly io: GatewayServer,
    private readonly logger: Logger,
    tickMs: number,
    private readonly clustered: boolean,
  ) {
    this.timer = setInterval(() => this.flush(), tickMs);
    this.timer.unref();
    io.on('presence:snapshot', (doc, reply) => reply(this.entries(doc)));
  }

  /**
   * Records a socket's cursor in a document and schedules its broadcast.
   *
   * @example
   * hub.set(socket, 'doc1', 12, [4, 4]);
   */
  set(socket: GatewaySocket, doc: string, v: number, sel: Selection): void {
    const entry: PresenceEntry = {
      id: socket.id,
      user: socket.data.user,
      name: socket.data.name,
      color: colorOf(socket.data.user),
      v,
      sel,
    };
    const cursors = this.local.get(doc) ?? new Map<string, PresenceEntry>();
    if (sel === null) cursors.delete(socket.id);
    else cursors.set(socket.id, entry);
    if (cursors.size > 0) this.local.set(doc, cursors);
    else this.local.delete(doc);
    this.schedule(doc, entry);
  }

  /** Removes a socket's cursor from a document, telling the room it is gone. */
  remove(socket: GatewaySocket, doc: string): void {
    const entry = this.local.get(doc)?.get(socket.id);
    if (entry) this.set(socket, doc, entry.v, null);
  }

  /** Removes a socket's cursors from every document, when it disconnects. */
  removeAll(socket: GatewaySocket): void {
    for (const [doc, cursors] of this.local) {
      if (cursors.has(socket.id)) this.remove(socket, doc);
    }
  }

  /**
   * Every visible cursor in a document, from every gateway; a gateway that does not answer in
   * time is left out rather than delaying the join.
   */
  async snapshot(doc: string): Promise<PresenceEntry[]> {
    if (!this.clustered) return this.entries(doc);
    let remote: PresenceEntry[][] = [];
    try {
      remote = await withTimeout(
        this.io.serverSideEmitWithAck('presence:snapshot', doc),
        SNAPSHOT_TIMEOUT_MS,
      );
    } catch (error) {
      this.logger.warn({ doc, err: error }, 'gateways did not report presence in time');
    }
    return [...this.entries(doc), ...remote.flat()];
  }

  /** Broadcasts what changed since the last tick, one message per document. */
  flush(): void {
    for (const [doc, changes] of this.pending) {
      this.io.to(docRoom(doc)).emit('presence', { doc, users: [...changes.values()] });
    }
    this.pending.clear();
  }

  stop(): void {
    clearInterval(this.timer);
    this.flush();
  }

  private entries(doc: string): PresenceEntry[] {
    return [...(this.local.get(doc)?.values() ?? [])];
  }

  private schedule(doc: string, entry: PresenceEntry): void {
    const changes = this.pending.get(doc) ?? new Map<string, PresenceEntry>();
    changes.set(entry.id, entry);
    this.pending.set(doc, changes);
  }
}
