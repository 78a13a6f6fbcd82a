import { describe, expect, it } from 'vitest';
import { TokenService } from '../../gateway/auth/tokens.ts';
import { SessionStore, isExpired, sessionOf, userIdFor, USER_ID_PATTERN } from './session.ts';

class MemoryStorage {
  private readonly items = new Map<string, string>();
  getItem = (key: string) => this.items.get(key) ?? null;
  setItem = (key: string, value: string) => void this.items.set(key, value);
  removeItem = (key: string) => void this.items.delete(key);
}

const tokens = new TokenService('session-tests-secret-0123456789');

describe('sessionOf', () => {
  it('reads the user, the name and the expiry from a gateway token', async () => {
    const token = await tokens.issue({ user: 'ada', name: 'Ada Lovelace ✓' }, '1h');
    const session = sessionOf(token)!;
    expect(session).toMatchObject({ token, user: 'ada', name: 'Ada Lovelace ✓' });
    expect(session.expiresAt).toBeGreaterThan(Date.now());
  });

  it('uses the user id as the name when the token has none', async () => {
    expect(sessionOf(await tokens.issue({ user: 'bob' }))?.name).toBe('bob');
  });

  it('refuses what is not a token', () => {
    expect(sessionOf('')).toBeNull();
    expect(sessionOf('not.a-token')).toBeNull();
    expect(sessionOf('a.e30.c')).toBeNull(); // {} has no subject
  });
});

describe('SessionStore', () => {
  it('keeps a session across page loads and forgets it on sign-out', async () => {
    const storage = new MemoryStorage() as unknown as Storage;
    const session = sessionOf(await tokens.issue({ user: 'ada' }))!;
    new SessionStore(storage).save(session);
    expect(new SessionStore(storage).load()?.user).toBe('ada');
    new SessionStore(storage).clear();
    expect(new SessionStore(storage).load()).toBeNull();
  });

  it('does not load an expired session, and says it expired', async () => {
    const storage = new MemoryStorage() as unknown as Storage;
    const session = sessionOf(
      await tokens.issue({ user: 'ada' }, Math.floor(Date.now() / 1000) - 10),
    )!;
    expect(isExpired(session)).toBe(true);
    new SessionStore(storage).save(session);
    const store = new SessionStore(storage);
    expect(store.load()).toBeNull();
    expect(store.expired()).toBe(true);
  });

  it('works for this page when storage is unavailable', async () => {
    const store = new SessionStore(null);
    store.save(sessionOf(await tokens.issue({ user: 'ada' }))!);
    expect(store.load()?.user).toBe('ada');
  });
});

describe('userIdFor', () => {
  it('suggests an id the gateway accepts', () => {
    expect(userIdFor('Ada Lovelace')).toBe('ada.lovelace');
    expect(userIdFor('  José  María ')).toBe('josé.maría');
    expect(userIdFor('R2/D2 (droid)!')).toBe('r2d2.droid');
    for (const name of ['Ada Lovelace', 'José María', 'R2/D2 (droid)!']) {
      expect(USER_ID_PATTERN.test(userIdFor(name))).toBe(true);
    }
  });
});
