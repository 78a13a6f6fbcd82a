/**
 * Changes of roles, made through any gateway, take effect on every gateway: each forgets the
 * cached roles of the document, and a user whose role was taken away is removed from the
 * document's room — and their cursor from everyone's screen — on whichever gateway holds
 * their connections. The gateway that made the change waits until the others confirm, so that
 * once the owner's request returns, no gateway accepts an operation on the old role.
 */
import type { Logger } from '../../common/logger.ts';
import { withTimeout } from '../../common/with-timeout.ts';
import type { Role } from '../docs/roles.ts';
import type { DocAccess } from '../docs/access.ts';
import type { PresenceHub } from '../presence/presence-hub.ts';
import type { GatewayServer } from './context.ts';
import { docRoom } from './rooms.ts';

/**
 * How long a change waits for the other gateways. One that does not confirm in time (it died,
 * or lost Redis) forgets its cached roles within `accessCacheMs` anyway.
 */
const CONFIRM_TIMEOUT_MS = 1_000;

export class AccessChanges {
  constructor(
    private readonly io: GatewayServer,
    private readonly access: DocAccess,
    private readonly presence: PresenceHub,
    private readonly clustered: boolean,
    private readonly logger: Logger,
  ) {
    io.on('access:changed', (doc, user, role, confirm) => {
      this.apply(doc, user, role);
      confirm();
    });
  }

  /**
   * Applies a change here, announces it to the other gateways and resolves once they have
   * applied it too, or after `CONFIRM_TIMEOUT_MS`. Never rejects.
   *
   * @example
   * await accessChanges.announce(doc, 'bob', null); // bob has lost access everywhere
   */
  async announce(doc: string, user: string, role: Role | null): Promise<void> {
    this.apply(doc, user, role);
    if (!this.clustered) return;
    try {
      await withTimeout(
        this.io.serverSideEmitWithAck('access:changed', doc, user, role),
        CONFIRM_TIMEOUT_MS,
      );
    } catch (error) {
      this.logger.warn({ doc, user, err: error }, 'not every gateway confirmed a role change');
    }
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
