/**
 * Who is in the document: one entry per person, however many tabs or windows they have it
 * open in (the SDK reports one cursor per connection).
 */
import type { RemoteCursor } from '../../gateway/client/index.ts';

export interface Person {
  user: string;
  name: string;
  color: string;
  /** How many connections the person has in the document. */
  connections: number;
  you: boolean;
}

/**
 * The people present: you first, then the others by name.
 *
 * @example
 * peopleIn({ user: 'ada', name: 'Ada', color: '#a33' }, doc.presence.values());
 */
export function peopleIn(
  you: { user: string; name: string; color: string },
  cursors: Iterable<RemoteCursor>,
): Person[] {
  const people = new Map<string, Person>();
  people.set(you.user, { ...you, connections: 1, you: true });
  for (const cursor of cursors) {
    const known = people.get(cursor.user);
    if (known) known.connections++;
    else
      people.set(cursor.user, {
        user: cursor.user,
        name: cursor.name,
        color: cursor.color,
        connections: 1,
        you: false,
      });
  }
  const others = [...people.values()]
    .filter((person) => !person.you)
    .sort((a, b) => a.name.localeCompare(b.name) || a.user.localeCompare(b.user));
  return [people.get(you.user)!, ...others];
}
