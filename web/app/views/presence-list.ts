/** The people in the document, each with the color of their cursor. */
import type { RemoteCursor } from '../../../gateway/client/index.ts';
import { h, replaceChildren } from '../dom.ts';
import { peopleIn } from '../people.ts';

export class PresenceList {
  readonly element: HTMLUListElement;

  constructor(private readonly you: { user: string; name: string; color: string }) {
    this.element = h('ul', { class: 'presence', 'aria-label': 'People in this document' });
    this.update([]);
  }

  update(cursors: Iterable<RemoteCursor>): void {
    const items = peopleIn(this.you, cursors).map((person) => {
      const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
      swatch.style.setProperty('--cursor-color', person.color);
      const tabs = person.connections > 1 ? ` (${person.connections} windows)` : '';
      return h(
        'li',
        { class: 'person', 'data-user': person.user, title: person.user },
        swatch,
        h('span', { class: 'person-name' }, person.name),
        person.you ? h('span', { class: 'you' }, ' (you)') : null,
        tabs,
      );
    });
    replaceChildren(this.element, ...items);
  }
}
