/**
 * Who is signed in: the access token, kept in localStorage so that a reload or a second tab
 * stays signed in, and the user it names. The token is a JWT; the app reads its claims only
 * to greet the person and to notice expiry — the gateway verifies it on every request.
 */

export interface Session {
  token: string;
  user: string;
  name: string;
  /** Milliseconds since the epoch; absent when the token does not expire. */
  expiresAt?: number;
}

const STORAGE_KEY = 'collab.session';

/** What the gateway accepts as a user id. */
export const USER_ID_PATTERN = /^[\p{L}\p{N}_.@:+-]{1,128}$/u;

/**
 * The session a token opens, from its claims; null when it is not a readable JWT.
 *
 * @example
 * sessionOf(token)?.user; // 'ada'
 */
export function sessionOf(token: string): Session | null {
  const payload = token.trim().split('.')[1];
  if (!payload) return null;
  let claims: { sub?: unknown; name?: unknown; exp?: unknown };
  try {
    const json = atob(payload.replaceAll('-', '+').replaceAll('_', '/'));
    const bytes = Uint8Array.from(json, (c) => c.charCodeAt(0));
    claims = JSON.parse(new TextDecoder().decode(bytes)) as typeof claims;
  } catch {
    return null;
  }
  if (typeof claims.sub !== 'string' || claims.sub === '') return null;
  return {
    token: token.trim(),
    user: claims.sub,
    name: typeof claims.name === 'string' ? claims.name : claims.sub,
    ...(typeof claims.exp === 'number' ? { expiresAt: claims.exp * 1000 } : {}),
  };
}

/**
 * A user id suggested for a display name: lower case, spaces as dots, only the characters the
 * gateway allows.
 *
 * @example
 * userIdFor('Ada Lovelace'); // 'ada.lovelace'
 */
export function userIdFor(name: string): string {
  return name
    .normalize('NFKC')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '.')
    .replace(/[^\p{L}\p{N}_.@:+-]/gu, '')
    .slice(0, 128);
}

export function isExpired(session: Session, now = Date.now()): boolean {
  return session.expiresAt !== undefined && session.expiresAt <= now;
}

/**
 * The stored session. Storage can be unavailable (a privacy mode, a full quota); the app then
 * keeps the session for this page only.
 */
export class SessionStore {
  private memory: Session | null = null;

  constructor(private readonly storage: Storage | null) {}

  /** The stored session, or null when there is none or it has expired. */
  load(): Session | null {
    const session = this.read();
    return session && !isExpired(session) ? session : null;
  }

  /** True when a session was stored but has expired since. */
  expired(): boolean {
    const session = this.read();
    return session !== null && isExpired(session);
  }

  save(session: Session): void {
    this.memory = session;
    try {
      this.storage?.setItem(STORAGE_KEY, session.token);
    } catch {
      // Kept in memory for this page; the person signs in again after a reload.
    }
  }

  clear(): void {
    this.memory = null;
    try {
      this.storage?.removeItem(STORAGE_KEY);
    } catch {
      // Nothing was stored.
    }
  }

  private read(): Session | null {
    if (this.memory) return this.memory;
    const token = readStorage(this.storage);
    return token ? sessionOf(token) : null;
  }
}

function readStorage(storage: Storage | null): string | null {
  try {
    return storage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}
