/**
 * A document's page: the text being edited together, who is in it and where their cursors
 * are, the connection and the version, and for those allowed, sharing and history.
 */
import type { CollabDocument, CollabError } from '../../../gateway/client/index.ts';
import { colorOf } from '../../../gateway/presence/color.ts';
import type { DocSummary, Role } from '../api.ts';
import { h, listen, replaceChildren } from '../dom.ts';
import { CursorOverlay } from '../editor/cursor-overlay.ts';
import type { CursorMark } from '../editor/cursor-layout.ts';
import { TextareaBinding } from '../editor/textarea-binding.ts';
import { describeError } from '../error-messages.ts';
import { documentHref } from '../router.ts';
import type { SignedIn, View } from '../view.ts';
import { HistoryPanel } from './history-panel.ts';
import { PresenceList } from './presence-list.ts';
import { SharePanel } from './share-panel.ts';
import { StatusLine } from './status-line.ts';

const ROLE_NAMES: Record<Role, string> = { owner: 'Owner', editor: 'Editor', viewer: 'Viewer' };

/**
 * The page for document `id`: a placeholder at once, the editor once the document is open, or
 * an explanation when it cannot be opened.
 */
export function editorPage(ctx: SignedIn, id: string): View {
  const element = h(
    'section',
    { class: 'doc-page', 'aria-busy': 'true' },
    h('p', { class: 'loading' }, 'Opening the document…'),
  );
  let disposed = false;
  let editor: DocumentEditor | null = null;

  void Promise.allSettled([ctx.api.getDoc(id), ctx.documents.open(id)]).then(([summary, doc]) => {
    if (disposed || summary.status === 'rejected' || doc.status === 'rejected') {
      if (doc.status === 'fulfilled') ctx.documents.release(doc.value);
      if (disposed) return;
      const failure = summary.status === 'rejected' ? summary : (doc as PromiseRejectedResult);
      element.setAttribute('aria-busy', 'false');
      replaceChildren(element, ...cannotOpen(failure.reason));
      return;
    }
    editor = new DocumentEditor(ctx, summary.value, doc.value);
    element.setAttribute('aria-busy', 'false');
    replaceChildren(element, ...editor.nodes);
    editor.focus();
    document.title = `${summary.value.title} — Collab`;
  });

  return {
    element,
    dispose() {
      disposed = true;
      editor?.dispose();
    },
  };
}

function cannotOpen(error: unknown): HTMLElement[] {
  const { summary, detail } = describeError(error, 'open');
  return [
    h('h1', {}, 'This document cannot be opened'),
    h('p', { class: 'error' }, summary),
    ...(detail ? [h('p', { class: 'detail' }, detail)] : []),
    h('p', {}, h('a', { href: '#/' }, 'Back to your documents')),
  ];
}

class DocumentEditor {
  readonly nodes: HTMLElement[];
  private readonly textarea: HTMLTextAreaElement;
  private readonly binding: TextareaBinding;
  private readonly overlay: CursorOverlay;
  private readonly presence: PresenceList;
  private readonly status: StatusLine;
  private readonly history: HistoryPanel;
  private readonly share: SharePanel | null;
  private readonly roleBadge: HTMLElement;
  private readonly readOnlyNote: HTMLElement;
  private readonly stops: Array<() => void> = [];

  constructor(
    private readonly ctx: SignedIn,
    summary: DocSummary,
    private readonly doc: CollabDocument,
  ) {
    const { session } = ctx;
    this.textarea = h('textarea', {
      id: 'editor',
      class: 'editor-text',
      'aria-label': `Text of ${summary.title}`,
      spellcheck: 'true',
    });
    const host = h('div', { class: 'editor-host' }, this.textarea);
    this.overlay = new CursorOverlay(this.textarea, host);
    this.binding = new TextareaBinding(this.textarea, doc, () => this.drawCursors());
    this.presence = new PresenceList({ ...session, color: colorOf(session.user) });
    this.status = new StatusLine(ctx.client, doc);
    this.history = new HistoryPanel(ctx, doc.id, () => doc.version);
    const link = new URL(documentHref(doc.id), location.href).href;
    this.share = summary.role === 'owner' ? new SharePanel(ctx, summary, link) : null;
    this.roleBadge = h('span', { class: 'role-badge' });
    this.readOnlyNote = h(
      'p',
      { id: 'read-only-note', class: 'read-only-note', hidden: true },
      'You can read this document but not change it.',
    );

    this.nodes = [
      h(
        'header',
        { class: 'doc-header' },
        h('a', { href: '#/', class: 'back' }, '← Documents'),
        h('h1', { class: 'doc-title' }, summary.title),
        this.roleBadge,
        h(
          'div',
          { class: 'doc-actions' },
          this.share ? this.toggle('Share', this.share.element) : null,
          this.toggle('History', this.history.element, () => void this.history.load()),
        ),
      ),
      h('div', { class: 'doc-meta' }, this.status.element, this.presence.element),
      this.readOnlyNote,
      h(
        'div',
        { class: 'doc-body' },
        host,
        h('aside', { class: 'panels' }, this.share?.element, this.history.element),
      ),
    ];

    const presenceChanged = () => {
      this.presence.update(doc.presence.values());
      this.drawCursors();
    };
    const refused = (error: CollabError) => this.refused(error);
    doc.on('presence', presenceChanged).on('error', refused);
    this.stops.push(() => doc.off('presence', presenceChanged).off('error', refused));
    this.setRole(summary.role);
    presenceChanged();
  }

  /** Puts the caret in the text, unless the person has already moved on to something else. */
  focus(): void {
    const idle = document.activeElement === null || document.activeElement === document.body;
    if (idle && !this.textarea.readOnly) this.textarea.focus({ preventScroll: true });
  }

  dispose(): void {
    for (const stop of this.stops.splice(0)) stop();
    this.binding.dispose();
    this.overlay.dispose();
    this.status.dispose();
    this.history.dispose();
    this.share?.dispose();
    this.ctx.documents.release(this.doc);
  }

  /** A button that shows and hides a panel. */
  private toggle(label: string, panel: HTMLElement, opened?: () => void): HTMLButtonElement {
    const button = h(
      'button',
      { type: 'button', 'aria-expanded': 'false', 'aria-controls': panel.id },
      label,
    );
    this.stops.push(
      listen(button, 'click', () => {
        panel.hidden = !panel.hidden;
        button.setAttribute('aria-expanded', String(!panel.hidden));
        if (!panel.hidden) opened?.();
      }),
    );
    return button;
  }

  private setRole(role: Role | undefined): void {
    const canWrite = role === 'owner' || role === 'editor';
    this.binding.setReadOnly(!canWrite);
    this.readOnlyNote.hidden = canWrite;
    if (canWrite) this.textarea.removeAttribute('aria-describedby');
    else this.textarea.setAttribute('aria-describedby', this.readOnlyNote.id);
    this.roleBadge.textContent = role ? ROLE_NAMES[role] : 'No access';
  }

  private drawCursors(): void {
    // While an IME composition holds other people's edits back, the cursors (placed in the
    // document's text) would land in the wrong places of the textarea; they wait with it.
    if (this.binding.lagging) return;
    const marks: CursorMark[] = [...this.doc.presence.values()].map((cursor) => ({
      id: cursor.id,
      name: cursor.name,
      color: cursor.color,
      sel: cursor.sel,
    }));
    this.overlay.render(this.doc.text, marks);
  }

  /** An edit was refused; the SDK has undone it already. Say why, and what changed. */
  private refused(error: CollabError): void {
    this.ctx.report(error, 'edit');
    if (error.code !== 'FORBIDDEN') return;
    // The role changed under the person; ask what it is now.
    this.ctx.api.getDoc(this.doc.id).then(
      (summary) => this.setRole(summary.role),
      () => this.setRole(undefined),
    );
  }
}
