import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TextOp } from '../../../gateway/client/index.ts';
import { text as type } from '../../../gateway/client/text-type.ts';
import { SurfaceSync } from './surface-sync.ts';

/** The document side: its text, changed by submitted and by remote operations. */
class FakeDocument {
  constructor(public text: string) {}
  submit(op: TextOp | null) {
    if (op) this.text = type.apply(this.text, op);
  }
  remote(op: TextOp) {
    this.text = type.apply(this.text, op);
    return op;
  }
}

describe('SurfaceSync: the textarea as a replica of the document', () => {
  it('passes a local edit straight through while up to date', () => {
    const sync = new SurfaceSync('hello');
    expect(sync.input('hello!', 6)).toEqual([5, '!']);
    expect(sync.shown).toBe('hello!');
  });

  it('hands a remote change to the textarea with the text before and after it', () => {
    const sync = new SurfaceSync('hello');
    sync.change([5, ' world']);
    expect(sync.catchUp()).toEqual({ op: [5, ' world'], before: 'hello', after: 'hello world' });
    expect(sync.catchUp()).toBeNull();
  });

  it('holds remote changes back and transforms local edits past them', () => {
    const doc = new FakeDocument('abc');
    const sync = new SurfaceSync(doc.text);

    sync.change(doc.remote(['X'])); // someone types at the start, held back during composition
    expect(sync.lagging).toBe(true);
    doc.submit(sync.input('abcみ', 4)); // the person composes at the end of what they see
    expect(doc.text).toBe('Xabcみ');

    const change = sync.catchUp()!;
    expect(change.before).toBe('abcみ');
    expect(change.after).toBe('Xabcみ');
    expect(sync.shown).toBe(doc.text);
  });

  it('maps a position in the shown text into the document while lagging', () => {
    const sync = new SurfaceSync('abc');
    sync.change(['XY']);
    expect(sync.toDocument(1)).toBe(3);
    sync.catchUp();
    expect(sync.toDocument(1)).toBe(1);
  });

  it('converges with the document under any mix of local edits, remote edits and pauses', () => {
    const unit = fc.constantFrom('a', 'b', '😀', '\n');
    const piece = fc.array(unit, { minLength: 1, maxLength: 3 }).map((units) => units.join(''));
    const step = fc.oneof(
      fc.record({
        kind: fc.constant('local' as const),
        at: fc.nat(20),
        removed: fc.nat(2),
        inserted: piece,
      }),
      fc.record({
        kind: fc.constant('remote' as const),
        at: fc.nat(20),
        removed: fc.nat(2),
        inserted: piece,
      }),
      fc.record({ kind: fc.constant('catch-up' as const) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 25 }), (steps) => {
        const doc = new FakeDocument('start');
        const sync = new SurfaceSync(doc.text);
        let surface = doc.text;
        for (const s of steps) {
          if (s.kind === 'catch-up') {
            const change = sync.catchUp();
            if (change) {
              expect(change.before).toBe(surface);
              surface = change.after;
            }
            continue;
          }
          const base = s.kind === 'local' ? surface : doc.text;
          const chars = [...base];
          const at = Math.min(s.at, chars.length);
          const removed = Math.min(s.removed, chars.length - at);
          const edited = [...chars.slice(0, at), s.inserted, ...chars.slice(at + removed)].join('');
          if (s.kind === 'local') {
            surface = edited;
            doc.submit(sync.input(surface, [...chars.slice(0, at), s.inserted].join('').length));
          } else {
            sync.change(doc.remote(type.normalize([at, { d: removed }, s.inserted])));
          }
          expect(sync.shown).toBe(surface);
        }
        const change = sync.catchUp();
        if (change) surface = change.after;
        expect(surface).toBe(doc.text);
      }),
      { numRuns: 300 },
    );
  });
});
