/**
 * The document's history: its revisions, newest first, as the projector groups them (a run
 * of edits without a pause), and the text at any revision or version, read-only.
 */
import type { Revision } from '../api.ts';
import { h, listen, replaceChildren, timeAgo } from '../dom.ts';
import { describeError } from '../error-messages.ts';
import type { SignedIn } from '../view.ts';

export class HistoryPanel {
  readonly element: HTMLElement;
  private readonly list = h('ol', { class: 'revisions', 'aria-label': 'Revisions, newest first' });
  private readonly more = h(
    'button',
    { type: 'button', class: 'quiet', hidden: true },
    'Show older revisions',
  );
  private readonly message = h('p', { class: 'form-message', 'aria-live': 'polite' });
  private readonly viewer = h('section', {
    class: 'version-view',
    'aria-live': 'polite',
    hidden: true,
  });
  private readonly versionInput: HTMLInputElement;
  private readonly stops: Array<() => void> = [];
  /** The `before` of the next page of revisions. */
  private nextBefore: number | null = null;

  /** @param head the document's current version, the newest one there is to show */
  constructor(
    private readonly ctx: SignedIn,
    private readonly docId: string,
    private readonly head: () => number,
  ) {
    this.versionInput = h('input', {
      id: 'history-version',
      type: 'number',
      min: 0,
      step: 1,
      required: true,
      inputmode: 'numeric',
    });
    const versionForm = h(
      'form',
      { class: 'inline-form' },
      h('label', { for: 'history-version' }, 'Show the text at version'),
      h('div', { class: 'row' }, this.versionInput, h('button', { type: 'submit' }, 'Show')),
    );
    const refresh = h('button', { type: 'button', class: 'quiet' }, 'Refresh');
    this.element = h(
      'section',
      { id: 'history-panel', class: 'panel', 'aria-labelledby': 'history-heading', hidden: true },
      h('div', { class: 'panel-heading' }, h('h2', { id: 'history-heading' }, 'History'), refresh),
      versionForm,
      this.message,
      this.list,
      this.more,
      this.viewer,
    );
    this.stops.push(
      listen<SubmitEvent>(versionForm, 'submit', (event) => {
        event.preventDefault();
        void this.show(Number(this.versionInput.value), `Version ${this.versionInput.value}`);
      }),
      listen(refresh, 'click', () => void this.load()),
      listen(this.more, 'click', () => void this.load(this.nextBefore ?? undefined)),
    );
  }

  /** Reads the newest revisions again; called whenever the panel opens. */
  async load(before?: number): Promise<void> {
    // No `max`: the head moves while the panel is open, and a stale limit would block the
    // newest versions; the server answers a version it does not have yet in words.
    if (before === undefined) this.versionInput.value = String(this.head());
    let revisions: Revision[];
    try {
      revisions = await this.ctx.api.revisions(this.docId, before);
    } catch (error) {
      this.say(describeError(error, 'history').summary);
      return;
    }
    const items = revisions.map((revision) => this.item(revision));
    if (before === undefined) replaceChildren(this.list, ...items);
    else this.list.append(...items);
    const oldest = revisions.at(-1)?.n;
    this.nextBefore = oldest !== undefined && oldest > 1 ? oldest : null;
    this.more.hidden = this.nextBefore === null;
    if (before === undefined) {
      this.say(revisions.length === 0 ? 'No revisions yet: nothing has been typed.' : '');
    }
  }

  dispose(): void {
    for (const stop of this.stops.splice(0)) stop();
  }

  private item(revision: Revision): HTMLElement {
    const versions =
      revision.from === revision.to
        ? `version ${revision.to}`
        : `versions ${revision.from}–${revision.to}`;
    const button = h(
      'button',
      { type: 'button', class: 'revision', 'data-version': revision.to },
      h('span', { class: 'revision-title' }, `Revision ${revision.n}`),
      h(
        'span',
        { class: 'revision-meta' },
        `${versions} · ${revision.authors.join(', ')} · ${timeAgo(revision.end)} · ` +
          `+${revision.inserted} −${revision.deleted}`,
      ),
    );
    button.addEventListener('click', () => {
      void this.show(revision.to, `Revision ${revision.n} (version ${revision.to})`);
    });
    return h('li', {}, button);
  }

  /** Shows the text at version `v` below the list. */
  private async show(v: number, title: string): Promise<void> {
    if (!Number.isInteger(v) || v < 0) {
      this.say('A version is a whole number, 0 or more.');
      return;
    }
    try {
      const { text } = await this.ctx.api.textAt(this.docId, v);
      const close = h('button', { type: 'button', class: 'quiet' }, 'Close');
      close.addEventListener('click', () => (this.viewer.hidden = true));
      replaceChildren(
        this.viewer,
        h('div', { class: 'panel-heading' }, h('h3', {}, title), close),
        h('textarea', {
          class: 'version-text',
          readonly: true,
          rows: 12,
          'aria-label': `Text at ${title.toLowerCase()}`,
        }),
      );
      this.viewer.querySelector('textarea')!.value = text;
      this.viewer.hidden = false;
      this.say('');
    } catch (error) {
      this.say(describeError(error, 'history').summary);
    }
  }

  private say(text: string): void {
    this.message.textContent = text;
  }
}
