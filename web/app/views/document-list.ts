/**
 * The first page after signing in: the documents the person can open, a form to create one
 * and a field to open one from a link someone sent.
 */
import type { DocSummary } from '../api.ts';
import { h, listen, replaceChildren, timeAgo } from '../dom.ts';
import { describeError } from '../error-messages.ts';
import { documentHref, documentIdIn } from '../router.ts';
import type { SignedIn, View } from '../view.ts';

const ROLE_NAMES = { owner: 'Owner', editor: 'Can edit', viewer: 'Can view' } as const;

export function documentListView(ctx: SignedIn): View {
  const list = h('div', { class: 'doc-list', 'aria-live': 'polite', 'aria-busy': 'true' });
  replaceChildren(list, h('p', { class: 'loading' }, 'Loading your documents…'));
  const create = createForm(ctx);
  const open = openForm(ctx);
  const element = h(
    'section',
    { class: 'documents', 'aria-labelledby': 'documents-heading' },
    h('h1', { id: 'documents-heading' }, 'Your documents'),
    h('div', { class: 'doc-forms' }, create.element, open.element),
    list,
  );

  let disposed = false;
  ctx.api.listDocs().then(
    (docs) => {
      if (disposed) return;
      list.setAttribute('aria-busy', 'false');
      replaceChildren(list, docs.length === 0 ? emptyList() : documentItems(docs));
    },
    (error: unknown) => {
      if (disposed) return;
      list.setAttribute('aria-busy', 'false');
      const { summary, detail } = describeError(error, 'list');
      replaceChildren(list, h('p', { class: 'error' }, summary, detail ? ` (${detail})` : ''));
    },
  );

  return {
    element,
    dispose() {
      disposed = true;
      create.dispose();
      open.dispose();
    },
  };
}

function documentItems(docs: DocSummary[]): HTMLElement {
  return h(
    'ul',
    { class: 'doc-items' },
    ...docs.map((doc) =>
      h(
        'li',
        {},
        h('a', { href: documentHref(doc.id), class: 'doc-link' }, doc.title || 'Untitled'),
        h(
          'span',
          { class: 'doc-meta' },
          `${ROLE_NAMES[doc.role]} · owner ${doc.owner} · version ${doc.head} · ` +
            `updated ${timeAgo(doc.updatedAt)}`,
        ),
      ),
    ),
  );
}

function emptyList(): HTMLElement {
  return h(
    'p',
    { class: 'empty' },
    'No documents yet. Create one above, or ask someone to share one with you.',
  );
}

function createForm(ctx: SignedIn) {
  const title = h('input', {
    id: 'new-doc-title',
    name: 'title',
    maxlength: 200,
    placeholder: 'Untitled',
  });
  const submit = h('button', { type: 'submit' }, 'Create');
  const element = h(
    'form',
    { class: 'inline-form' },
    h('label', { for: 'new-doc-title' }, 'New document title'),
    h('div', { class: 'row' }, title, submit),
  );
  const stop = listen<SubmitEvent>(element, 'submit', (event) => {
    event.preventDefault();
    submit.disabled = true;
    ctx.api
      .createDoc(title.value.trim())
      .then((id) => ctx.go(documentHref(id)))
      .catch((error: unknown) => ctx.report(error, 'create'))
      .finally(() => (submit.disabled = false));
  });
  return { element, dispose: stop };
}

function openForm(ctx: SignedIn) {
  const link = h('input', {
    id: 'open-doc-link',
    name: 'link',
    required: true,
    spellcheck: 'false',
    autocapitalize: 'off',
    'aria-describedby': 'open-doc-message',
  });
  const message = h('p', { id: 'open-doc-message', class: 'hint', 'aria-live': 'polite' });
  const element = h(
    'form',
    { class: 'inline-form' },
    h('label', { for: 'open-doc-link' }, 'Open a link or document id'),
    h('div', { class: 'row' }, link, h('button', { type: 'submit' }, 'Open')),
    message,
  );
  const stop = listen<SubmitEvent>(element, 'submit', (event) => {
    event.preventDefault();
    const id = documentIdIn(link.value, location.href);
    if (id) ctx.go(documentHref(id));
    else message.textContent = 'That is not a link to a document, nor a document id.';
  });
  return { element, dispose: stop };
}
