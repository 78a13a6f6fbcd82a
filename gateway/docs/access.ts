/**
 * Who may do what with a document. Every join, catch-up, submission, presence update and HTTP
 * read asks here. Roles are served from memory for a short time (`accessCacheMs`), because a
 * lookup per keystroke would put the document store on the path of every operation; a change
 * of roles made through any gateway clears the entry on every gateway at once, so the cache
 * only matters when a store is changed behind the gateways' backs.
 */
import { forbidden, notFound } from '../../common/errors.ts';
import type { DocMeta, DocsStore } from './docs-store.ts';
import { allows, type Permission, type Role } from './roles.ts';

interface CachedDoc {
  meta: Promise<DocMeta | null>;
  expires: number;
}

export interface Grant {
  meta: DocMeta;
  role: Role;
}

const MAX_CACHED_DOCS = 10_000;

export class DocAccess {
  private readonly cache = new Map<string, CachedDoc>();

  constructor(
    private readonly docs: DocsStore,
    private readonly cacheMs: number,
  ) {}

  /**
   * The caller's role, if it grants `permission`; NOT_FOUND or FORBIDDEN otherwise.
   *
   * @example
   * const { role } = await access.require(doc, socket.data.user, 'write');
   */
  async require(doc: string, user: string, permission: Permission): Promise<Grant> {
    const meta = await this.meta(doc);
    if (!meta) throw notFound(`document ${doc} does not exist`);
    const role = meta.acl[user];
    if (!role || !allows(role, permission)) throw forbidden(describeRefusal(doc, role, permission));
    return { meta, role };
  }

  /** Forgets what is known about a document, after its roles changed. */
  invalidate(doc: string): void {
    this.cache.delete(doc);
  }

  private meta(doc: string): Promise<DocMeta | null> {
    const now = Date.now();
    const cached = this.cache.get(doc);
    if (cached && cached.expires > now) return cached.meta;

    const meta = this.docs.get(doc);
    this.remember(doc, { meta, expires: now + this.cacheMs });
    // Neither a failed read nor a missing document is remembered: the document may be
    // created on another gateway a moment later.
    const forget = () => {
      if (this.cache.get(doc)?.meta === meta) this.cache.delete(doc);
    };
    meta.then((found) => found ?? forget(), forget);
    return meta;
  }

  private remember(doc: string, entry: CachedDoc): void {
    this.cache.delete(doc);
    this.cache.set(doc, entry);
    if (this.cache.size > MAX_CACHED_DOCS) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
  }
}

function describeRefusal(doc: string, role: Role | undefined, permission: Permission): string {
  if (!role) return `you have no role on document ${doc}; ask its owner for access`;
  const needed = permission === 'admin' ? 'owner' : 'editor';
  return `your role on document ${doc} is ${role}; this needs ${needed}`;
}
