/**
 * What the status line says about the connection and the person's edits. Edits are never
 * lost by going offline — the SDK keeps them and sends them after the reconnect — so the
 * line says whether they are still waiting, not just whether the socket is up.
 */

export type ConnectionState = 'connecting' | 'saved' | 'saving' | 'reconnecting' | 'offline';

export interface ConnectionFacts {
  /** The socket is connected. */
  connected: boolean;
  /** It has been connected at least once since the page opened. */
  everConnected: boolean;
  /** The browser believes it has a network (`navigator.onLine`). */
  online: boolean;
  /** Some local edit is not stored yet. */
  unsynced: boolean;
}

/**
 * The state and its sentence.
 *
 * @example
 * connectionStatus({ connected: false, everConnected: true, online: false, unsynced: true });
 * // { state: 'offline', label: 'Offline — your edits are kept and will be sent when you are back online' }
 */
export function connectionStatus(facts: ConnectionFacts): {
  state: ConnectionState;
  label: string;
} {
  const kept = facts.unsynced ? ' — your edits are kept and will be sent' : '';
  if (!facts.connected && !facts.online) {
    return { state: 'offline', label: `Offline${kept && `${kept} when you are back online`}` };
  }
  if (!facts.connected && !facts.everConnected)
    return { state: 'connecting', label: 'Connecting…' };
  if (!facts.connected) {
    return { state: 'reconnecting', label: `Reconnecting…${kept && `${kept} once connected`}` };
  }
  if (facts.unsynced) return { state: 'saving', label: 'Saving…' };
  return { state: 'saved', label: 'All changes saved' };
}
