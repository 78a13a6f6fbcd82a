/**
 * The document endpoints: create, list, share, and read text and operations. Every read checks
 * the caller's role on the document, like every socket event does.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { badRequest } from '../../common/errors.ts';
import type { EventStore } from '../../engine/ports/event-store.ts';
import type { HistoryReads } from '../../projector/reads/history-reads.ts';
import { USER_ID_PATTERN, type TokenService } from '../auth/tokens.ts';
import type { DocAccess } from '../docs/access.ts';
import { DOC_ID_PATTERN, newDocId } from '../docs/doc-id.ts';
import type { DocMeta, DocsStore } from '../docs/docs-store.ts';
import { ROLES, type Role } from '../docs/roles.ts';
import type { GatewayLimits } from '../limits.ts';
import type { DocumentTexts } from '../reads/document-text.ts';
import { opsBetween, toWireOp } from '../reads/operations.ts';
import type { AccessChanges } from '../socket/access-changes.ts';
import { parseWith } from '../validation.ts';
import { callerOf } from './authenticate.ts';

export interface DocRoutesDeps {
  tokens: TokenService;
  docs: DocsStore;
  access: DocAccess;
  accessChanges: AccessChanges;
  events: EventStore;
  texts: DocumentTexts;
  history?: HistoryReads;
  limits: GatewayLimits;
}

/** Documents listed by `GET /api/docs`, most recently updated first. */
const MAX_LISTED = 500;

const version = z
  .string()
  .regex(/^\d{1,15}$/, 'must be a version: a non-negative integer')
  .transform(Number);

const docParams = z.strictObject({
  id: z.string().regex(DOC_ID_PATTERN, 'must be a document id'),
});
const aclParams = docParams.extend({
  user: z.string().regex(USER_ID_PATTERN, 'must be a user id'),
});
const createBody = z.strictObject({ title: z.string().max(200).optional() });
const roleBody = z.strictObject({ role: z.enum(ROLES) });
const textQuery = z.strictObject({ v: version.optional() });
const opsQuery = z.strictObject({ from: version.optional(), to: version.optional() });
const historyQuery = z.strictObject({ before: version.optional(), limit: version.optional() });

export function docRoutes(app: FastifyInstance, deps: DocRoutesDeps): void {
  const caller = (request: FastifyRequest) => callerOf(request, deps.tokens);

  app.post('/api/docs', async (request, reply) => {
    const { user } = await caller(request);
    const { title } = parseWith(createBody, request.body ?? {});
    const meta = await deps.docs.create({
      id: newDocId(),
      title: title ?? 'Untitled',
      owner: user,
    });
    request.log.info({ doc: meta.id, user }, 'document created');
    return reply.status(201).send({ id: meta.id });
  });

  app.get('/api/docs', async (request) => {
    const { user } = await caller(request);
    const docs = await deps.docs.listForUser(user, MAX_LISTED);
    return docs.map((meta) => describe(meta, user));
  });

  app.get('/api/docs/:id', async (request) => {
    const { user } = await caller(request);
    const { id } = parseWith(docParams, request.params);
    const { meta } = await deps.access.require(id, user, 'read');
    return describe(meta, user);
  });

  app.put('/api/docs/:id/acl/:user', async (request) => {
    const { role } = parseWith(roleBody, request.body ?? {});
    return changeRole(request, role);
  });

  app.delete('/api/docs/:id/acl/:user', async (request) => changeRole(request, null));

  app.get('/api/docs/:id/text', async (request) => {
    const { user } = await caller(request);
    const { id } = parseWith(docParams, request.params);
    const { v } = parseWith(textQuery, request.query);
    await deps.access.require(id, user, 'read');
    return v === undefined ? deps.texts.head(id) : deps.texts.at(id, v);
  });

  app.get('/api/docs/:id/ops', async (request) => {
    const { user } = await caller(request);
    const { id } = parseWith(docParams, request.params);
    const { from = 0, to } = parseWith(opsQuery, request.query);
    await deps.access.require(id, user, 'read');
    const ops = await opsBetween(deps.events, id, from, to, deps.limits.maxOpsPerRead);
    return ops.map(toWireOp);
  });

  // Revisions are kept by the projector; a gateway without its reads has none to list.
  app.get('/api/docs/:id/history', async (request) => {
    const { user } = await caller(request);
    const { id } = parseWith(docParams, request.params);
    const { before, limit } = parseWith(historyQuery, request.query);
    await deps.access.require(id, user, 'read');
    if (!deps.history) return [];
    const page = await deps.history.revisions(id, { before, limit });
    return page.revisions;
  });

  async function changeRole(request: FastifyRequest, role: Role | null) {
    const { user: caller_ } = await caller(request);
    const { id, user } = parseWith(aclParams, request.params);
    const { meta } = await deps.access.require(id, caller_, 'admin');
    if (user === meta.owner && role !== 'owner') {
      throw badRequest(`${user} created document ${id} and stays its owner`);
    }
    await deps.docs.setRole(id, user, role);
    await deps.accessChanges.announce(id, user, role);
    request.log.info({ doc: id, user: caller_, target: user, role }, 'role changed');
    return { doc: id, user, role };
  }
}

/** A document as its reader sees it; only owners see who else has access. */
function describe(meta: DocMeta, user: string) {
  const role = meta.acl[user];
  return {
    id: meta.id,
    title: meta.title,
    owner: meta.owner,
    role,
    head: meta.head,
    createdAt: meta.createdAt,
    updatedAt: meta.updatedAt,
    ...(role === 'owner' ? { acl: meta.acl } : {}),
  };
}
