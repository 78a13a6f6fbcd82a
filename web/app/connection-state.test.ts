import { describe, expect, it } from 'vitest';
import { connectionStatus } from './connection-state.ts';

const up = { connected: true, everConnected: true, online: true, unsynced: false };

describe('connectionStatus', () => {
  it('says saved or saving while connected', () => {
    expect(connectionStatus(up)).toEqual({ state: 'saved', label: 'All changes saved' });
    expect(connectionStatus({ ...up, unsynced: true }).state).toBe('saving');
  });

  it('says connecting before the first connection', () => {
    expect(connectionStatus({ ...up, connected: false, everConnected: false }).state).toBe(
      'connecting',
    );
  });

  it('says reconnecting after a lost connection, and that pending edits are kept', () => {
    const lost = { ...up, connected: false };
    expect(connectionStatus(lost)).toEqual({ state: 'reconnecting', label: 'Reconnecting…' });
    expect(connectionStatus({ ...lost, unsynced: true }).label).toBe(
      'Reconnecting… — your edits are kept and will be sent once connected',
    );
  });

  it('says offline when the browser has no network, with pending edits', () => {
    const offline = { ...up, connected: false, online: false };
    expect(connectionStatus(offline)).toEqual({ state: 'offline', label: 'Offline' });
    expect(connectionStatus({ ...offline, unsynced: true }).label).toBe(
      'Offline — your edits are kept and will be sent when you are back online',
    );
  });
});
