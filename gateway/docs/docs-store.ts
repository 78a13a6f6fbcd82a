/**
 * The documents port: metadata and access control of every document. Two adapters implement
 * it — MongoDB (the distributed stack) and SQLite (the embedded mode) — and both pass the same
 * contract tests in `docs-store.contract.ts`.
 */
import type { Role } from './roles.ts';

export interface DocMeta {
  id: string;
  title: string;
  owner: string;
  acl: Record<string, Role>;
  /**
   * The head version as the projector last recorded it, for listings; it may lag behind the
   * event store, which is the authority on versions.
   */
  head: number;
  createdAt: number;
  updatedAt: number;
}

export interface NewDoc {
  id: string;
  title: string;
  owner: string;
}

export interface DocsStore {
  /** Creates collections, tables and indexes; safe to call more than once. */
  init(): Promise<void>;

  /** Stores a new document whose owner is the only user with a role; fails on a taken id. */
  create(doc: NewDoc): Promise<DocMeta>;

  get(id: string): Promise<DocMeta | null>;

  /** Gives `user` a role on the document, or takes it away with `null`; null if no document. */
  setRole(id: string, user: string, role: Role | null): Promise<DocMeta | null>;

  /** Documents on which `user` has a role, most recently updated first, at most `limit`. */
  listForUser(user: string, limit: number): Promise<DocMeta[]>;

  close(): Promise<void>;
}

/** Thrown by `create` when the id is taken. */
export class DocExistsError extends Error {
  override readonly name = 'DocExistsError';

  constructor(readonly id: string) {
    super(`document ${id} already exists`);
  }
}
