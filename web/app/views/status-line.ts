/**
 * The connection, whether the person's edits are stored, and the document's version. The
 * connection is a live region, so a screen reader hears when it drops and comes back; the
 * saving state changes with every keystroke and is shown without being announced.
 */
import type { CollabClient, CollabDocument } from '../../../gateway/client/index.ts';
import { connectionStatus } from '../connection-state.ts';
import { h, listen } from '../dom.ts';

export class StatusLine {
  readonly element: HTMLElement;
  private readonly connection = h('span', { class: 'connection', role: 'status' });
  private readonly saving = h('span', { class: 'saving' });
  private readonly version = h('strong', { 'data-version': '' });
  private everConnected: boolean;
  private readonly stops: Array<() => void> = [];

  constructor(
    private readonly client: CollabClient,
    private readonly doc: CollabDocument,
  ) {
    this.element = h(
      'div',
      { class: 'status-line' },
      this.connection,
      this.saving,
      h('span', { class: 'version' }, 'Version ', this.version),
    );
    this.everConnected = client.socket.connected;

    const update = () => this.update();
    const connected = () => {
      this.everConnected = true;
      update();
    };
    client.on('connect', connected).on('disconnect', update);
    doc.on('change', update).on('ack', update).on('synced', update).on('reset', update);
    this.stops.push(
      () => client.off('connect', connected).off('disconnect', update),
      () => doc.off('change', update).off('ack', update).off('synced', update).off('reset', update),
      listen(window, 'online', update),
      listen(window, 'offline', update),
    );
    this.update();
  }

  dispose(): void {
    for (const stop of this.stops.splice(0)) stop();
  }

  private update(): void {
    const { state, label } = connectionStatus({
      connected: this.client.socket.connected,
      everConnected: this.everConnected,
      online: navigator.onLine,
      unsynced: this.doc.hasUnsyncedChanges,
    });
    this.element.dataset.state = state;
    const connected = state === 'saved' || state === 'saving';
    setText(this.connection, connected ? 'Connected' : label);
    setText(this.saving, connected ? label : '');
    setText(this.version, String(this.doc.version));
  }
}

/** Writes only real changes, so the live region speaks only when something changed. */
function setText(element: HTMLElement, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}
