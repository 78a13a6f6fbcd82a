/**
 * The gateway's HTTP API, as the app uses it. Every failure is a CollabError with one of the
 * protocol's codes, whether the server answered with one or could not be reached.
 */
import { CollabError } from '../../gateway/client/index.ts';
import { isWireError } from '../../gateway/client/errors.ts';

export type Role = 'owner' | 'editor' | 'viewer';

export const ROLES: readonly Role[] = ['owner', 'editor', 'viewer'];

export interface DocSummary {
  id: string;
  title: string;
  owner: string;
  role: Role;
  head: number;
  createdAt: number;
  updatedAt: number;
  /** Who has which role; only owners see it. */
  acl?: Record<string, Role>;
}

/** A run of versions typed without a pause, as the projector groups them. */
export interface Revision {
  n: number;
  from: number;
  to: number;
  authors: string[];
  start: number;
  end: number;
  inserted: number;
  deleted: number;
}

export interface VersionedText {
  v: number;
  text: string;
}

export class Api {
  /**
   * @param token the current access token, read at every request
   * @param onUnauthenticated called when the server refuses the token, before the error is thrown
   */
  constructor(
    private readonly base: string,
    private readonly token: () => string | null,
    private readonly onUnauthenticated: (error: CollabError) => void = () => undefined,
  ) {}

  /**
   * A token for `user` from dev sign-in.
   *
   * @example
   * const token = await api.devSignIn('ada', 'Ada');
   */
  async devSignIn(user: string, name: string): Promise<string> {
    const body = name ? { user, name } : { user };
    const reply = await this.call<{ token: string }>('POST', '/api/auth/dev', body, false);
    return reply.token;
  }

  listDocs(): Promise<DocSummary[]> {
    return this.call('GET', '/api/docs');
  }

  getDoc(id: string): Promise<DocSummary> {
    return this.call('GET', `/api/docs/${encodeURIComponent(id)}`);
  }

  async createDoc(title: string): Promise<string> {
    const reply = await this.call<{ id: string }>('POST', '/api/docs', title ? { title } : {});
    return reply.id;
  }

  async setRole(id: string, user: string, role: Role | null): Promise<void> {
    const path = `/api/docs/${encodeURIComponent(id)}/acl/${encodeURIComponent(user)}`;
    await (role === null ? this.call('DELETE', path) : this.call('PUT', path, { role }));
  }

  /** Revisions newest first; pass the oldest `n` received as `before` for the next page. */
  revisions(id: string, before?: number): Promise<Revision[]> {
    const query = before === undefined ? '' : `?before=${before}`;
    return this.call('GET', `/api/docs/${encodeURIComponent(id)}/history${query}`);
  }

  textAt(id: string, v: number): Promise<VersionedText> {
    return this.call('GET', `/api/docs/${encodeURIComponent(id)}/text?v=${v}`);
  }

  private async call<T>(method: string, path: string, body?: unknown, signed = true): Promise<T> {
    const headers: Record<string, string> = {};
    const token = signed ? this.token() : null;
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';

    let response: Response;
    try {
      response = await fetch(new URL(path, this.base), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw CollabError.from(error);
    }
    const payload = await response.json().catch(() => undefined);
    if (response.ok) return payload as T;

    const error = isWireError(payload)
      ? CollabError.fromWire(payload)
      : new CollabError('UNAVAILABLE', `the server answered ${response.status}`);
    if (error.code === 'UNAUTHENTICATED' && signed) this.onUnauthenticated(error);
    throw error;
  }
}
