/**
 * Changes of roles, made through any gateway, take effect on every gateway: each forgets the
 * cached roles of the document, and a user whose role was taken away is removed from the
 * document's room — and their cursor from everyone's screen — on whichever gateway holds
 * their connections.
 */
import type { Role } from '../docs/roles.ts';
import type { DocAccess } from '../docs/access.ts';
import type { PresenceHub } from '../presence/presence-hub.ts';
import type { GatewayServer } from './context.ts';
import { docRoom } from './rooms.ts';

export class AccessChanges {
  constructor(
    private readonly io: GatewayServer,
    private readonly access: DocAccess,
    private readonly presence: PresenceHub,
    private readonly clustered: boolean,
  ) {
    io.on('access:changed', (doc, user, role) => this.apply(doc, user, role));
  }

  /**
   * Applies a change here and announces it to the other gateways.
   *
   * @example
   * accessChanges.announce(doc, 'bob', null); // bob loses access everywhere
   */
  announce(doc: string, user: string, role: Role | null): void {
    this.apply(doc, user, role);
    if (this.clustered) this.io.serverSideEmit('access:changed', doc, user, role);
  }

  private apply(doc: string, user: string, role: Role | null): void {
    this.access.invalidate(doc);
    if (role === null) this.evict(doc, user);
  }

  /** Takes the user's local sockets out of the document. */
  private evict(doc: string, user: string): void {
    const room = docRoom(doc);
    const namespace = this.io.of('/');
    for (const id of [...(namespace.adapter.rooms.get(room) ?? [])]) {
      const socket = namespace.sockets.get(id);
      if (socket?.data.user !== user) continue;
      this.presence.remove(socket, doc);
      void socket.leave(room);
    }
  }
}
