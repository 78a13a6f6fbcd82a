import { describe, expect, it } from 'vitest';
import { Coalescer } from './coalescer.ts';

/** A read that resolves when told to, numbered in the order reads start. */
function controlledReads() {
  const started: Array<() => void> = [];
  const read = () =>
    new Promise<number>((resolve) => {
      const number = started.length + 1;
      started.push(() => resolve(number));
    });
  return { started, read };
}

describe('Coalescer', () => {
  it('starts a read for the first caller', async () => {
    const coalescer = new Coalescer<string>();
    expect(await coalescer.run('doc', async () => 'text')).toBe('text');
  });

  it('never hands a caller the result of a read that was already running when it called', async () => {
    const coalescer = new Coalescer<number>();
    const { started, read } = controlledReads();

    const first = coalescer.run('doc', read);
    const second = coalescer.run('doc', read);
    const third = coalescer.run('doc', read);
    expect(started).toHaveLength(1);

    started[0]!();
    expect(await first).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(started).toHaveLength(2);
    started[1]!();

    // The second and third callers arrived during the first read; they share the next one.
    expect(await second).toBe(2);
    expect(await third).toBe(2);
    expect(started).toHaveLength(2);
  });

  it('keeps documents apart', async () => {
    const coalescer = new Coalescer<string>();
    const [a, b] = await Promise.all([
      coalescer.run('a', async () => 'A'),
      coalescer.run('b', async () => 'B'),
    ]);
    expect([a, b]).toEqual(['A', 'B']);
  });

  it('runs the queued read even when the running one fails', async () => {
    const coalescer = new Coalescer<string>();
    const failing = coalescer.run('doc', async () => {
      throw new Error('store down');
    });
    const next = coalescer.run('doc', async () => 'recovered');

    await expect(failing).rejects.toThrow('store down');
    expect(await next).toBe('recovered');
  });
});
