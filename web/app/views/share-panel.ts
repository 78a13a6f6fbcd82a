/**
 * Sharing, for owners: the document's link, a form to give someone a role, and the people who
 * have one, whose role can be changed or taken away.
 */
import type { DocSummary, Role } from '../api.ts';
import { h, listen, replaceChildren } from '../dom.ts';
import { describeError } from '../error-messages.ts';
import { USER_ID_PATTERN } from '../session.ts';
import type { SignedIn } from '../view.ts';

const ROLE_LABELS: Record<Role, string> = {
  editor: 'Can edit',
  viewer: 'Can view',
  owner: 'Owner',
};

/** Offered in this order: the common case first. */
const OFFERED: Role[] = ['editor', 'viewer', 'owner'];

export class SharePanel {
  readonly element: HTMLElement;
  private readonly people = h('ul', { class: 'people' });
  private readonly message = h('p', { class: 'form-message', 'aria-live': 'polite' });
  private readonly stops: Array<() => void> = [];

  constructor(
    private readonly ctx: SignedIn,
    private summary: DocSummary,
    link: string,
  ) {
    const linkField = h('input', {
      id: 'share-link',
      readonly: true,
      value: link,
      spellcheck: 'false',
    });
    const copy = h('button', { type: 'button' }, 'Copy link');
    const form = this.shareForm();
    this.element = h(
      'section',
      { id: 'share-panel', class: 'panel', 'aria-labelledby': 'share-heading', hidden: true },
      h('h2', { id: 'share-heading' }, 'Share'),
      h('label', { for: 'share-link' }, 'Link to this document'),
      h('div', { class: 'row' }, linkField, copy),
      form,
      this.message,
      h('h3', {}, 'People with access'),
      this.people,
    );
    this.stops.push(
      listen(copy, 'click', () => {
        linkField.select();
        navigator.clipboard?.writeText(link).then(
          () => this.say('Link copied.'),
          () => this.say('Select the link and copy it.'),
        );
      }),
    );
    this.renderPeople();
  }

  dispose(): void {
    for (const stop of this.stops.splice(0)) stop();
  }

  private shareForm(): HTMLFormElement {
    const user = h('input', {
      id: 'share-user',
      required: true,
      maxlength: 128,
      spellcheck: 'false',
      autocapitalize: 'off',
    });
    const role = roleSelect('share-role', 'editor');
    const submit = h('button', { type: 'submit' }, 'Give access');
    const form = h(
      'form',
      { class: 'share-form' },
      h('div', { class: 'field' }, h('label', { for: 'share-user' }, 'User id'), user),
      h('div', { class: 'field' }, h('label', { for: 'share-role' }, 'Role'), role),
      submit,
    );
    this.stops.push(
      listen<SubmitEvent>(form, 'submit', (event) => {
        event.preventDefault();
        const id = user.value.trim();
        if (!USER_ID_PATTERN.test(id)) {
          this.say('A user id is 1 to 128 letters, digits or _ . @ : + - (no spaces).');
          return;
        }
        submit.disabled = true;
        void this.change(id, role.value as Role, `Shared with ${id}.`)
          .then((ok) => {
            if (ok) user.value = '';
          })
          .finally(() => (submit.disabled = false));
      }),
    );
    return form;
  }

  /** Changes a role and shows the new list; false when the server refused. */
  private async change(user: string, role: Role | null, done: string): Promise<boolean> {
    try {
      await this.ctx.api.setRole(this.summary.id, user, role);
      this.summary = await this.ctx.api.getDoc(this.summary.id);
      this.renderPeople();
      this.say(done);
      return true;
    } catch (error) {
      const { summary, detail } = describeError(error, 'share');
      this.say(detail ? `${summary} (${detail})` : summary);
      return false;
    }
  }

  private renderPeople(): void {
    const acl = Object.entries(this.summary.acl ?? {}).sort(([a], [b]) => a.localeCompare(b));
    replaceChildren(this.people, ...acl.map(([user, role]) => this.person(user, role)));
  }

  private person(user: string, role: Role): HTMLElement {
    const label = user === this.ctx.session.user ? `${user} (you)` : user;
    if (user === this.summary.owner) {
      return h(
        'li',
        { 'data-user': user },
        h('span', { class: 'person-name' }, label),
        ' · creator, owner',
      );
    }
    const id = `role-${user}`;
    const select = roleSelect(id, role);
    const remove = h('button', { type: 'button', class: 'quiet' }, 'Remove');
    remove.setAttribute('aria-label', `Remove ${user}`);
    // These elements are replaced with the list, and their listeners go with them.
    select.addEventListener('change', () => {
      const chosen = select.value as Role;
      void this.change(user, chosen, `${user}: ${ROLE_LABELS[chosen].toLowerCase()}.`);
    });
    remove.addEventListener('click', () => {
      void this.change(user, null, `${user} no longer has access.`);
    });
    return h(
      'li',
      { 'data-user': user },
      h('label', { for: id, class: 'person-name' }, label),
      select,
      remove,
    );
  }

  private say(text: string): void {
    this.message.textContent = text;
  }
}

function roleSelect(id: string, selected: Role): HTMLSelectElement {
  const options = OFFERED.map((role) =>
    h('option', { value: role, selected: role === selected }, ROLE_LABELS[role]),
  );
  return h('select', { id, name: 'role' }, ...options);
}
