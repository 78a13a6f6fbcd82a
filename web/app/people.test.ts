import { describe, expect, it } from 'vitest';
import type { RemoteCursor } from '../../gateway/client/index.ts';
import { peopleIn } from './people.ts';

const cursor = (id: string, user: string, name: string): RemoteCursor => ({
  id,
  user,
  name,
  color: `#${user.length}00`,
  sel: [0, 0],
});

describe('peopleIn', () => {
  it('lists you first, then everyone else by name, once per person', () => {
    const people = peopleIn({ user: 'ada', name: 'Ada', color: '#a00' }, [
      cursor('s1', 'zed', 'Zed'),
      cursor('s2', 'bob', 'Bob'),
      cursor('s3', 'zed', 'Zed'),
      cursor('s4', 'ada', 'Ada'),
    ]);
    expect(people.map((p) => [p.user, p.connections, p.you])).toEqual([
      ['ada', 2, true],
      ['bob', 1, false],
      ['zed', 2, false],
    ]);
  });
});
