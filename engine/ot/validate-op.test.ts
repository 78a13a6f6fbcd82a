import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../common/errors.ts';
import type { TextOp } from '../../common/protocol.ts';
import { CodePointRope } from './code-point-rope.ts';
import { textType } from './text-type.ts';
import { checkOp, validateOp, type OpLimits } from './validate-op.ts';

const limits: OpLimits = { maxOpInsertBytes: 16, maxDocBytes: 32 };

/** The error `validateOp` throws for `op` on `text`, or undefined when it accepts the op. */
function refusal(op: unknown, text = 'hello world!'): ProtocolError | undefined {
  try {
    validateOp(op, new CodePointRope(text), limits);
    return undefined;
  } catch (error) {
    if (error instanceof ProtocolError) return error;
    throw error;
  }
}

describe('operation shape', () => {
  it.each([
    ['an object instead of an array', { d: 1 }, /must be an array of components, got an object/],
    ['a string instead of an array', 'hi', /must be an array of components, got a string/],
    ['null instead of an array', null, /must be an array of components, got null/],
    ['a zero skip', [0, 'x'], /component 0: a skip must be a positive integer, got 0/],
    ['a negative skip', [-2, 'x'], /component 0: a skip must be a positive integer, got -2/],
    ['a fractional skip', [1.5, 'x'], /component 0: a skip must be a positive integer, got 1.5/],
    ['a NaN skip', [NaN, 'x'], /component 0: a skip must be a positive integer, got NaN/],
    ['an infinite skip', [Infinity, 'x'], /a skip must be a positive integer, got Infinity/],
    ['adjacent skips', [1, 2, 'x'], /components 0 and 1 are adjacent skips; combine them/],
    ['a trailing skip', ['x', 3], /component 1: an operation must not end with a skip; drop it/],
    ['an empty insert', [1, ''], /component 1: an insert must not be empty/],
    ['a zero delete', [{ d: 0 }], /component 0: a delete's "d" must be a positive integer/],
    ['a negative delete', [{ d: -1 }], /a delete's "d" must be a positive integer count .* -1/],
    ['a fractional delete', [{ d: 0.5 }], /a delete's "d" must be a positive integer .* 0.5/],
    ['a NaN delete', [{ d: NaN }], /a delete's "d" must be a positive integer .* got NaN/],
    ['an empty text delete', [{ d: '' }], /a delete's "d" .* got an empty string/],
    ['a delete without d', [{}], /a delete's "d" .* got nothing/],
    ['a delete with an unknown field', [{ d: 1, i: 'x' }], /only the field "d" .* got field "i"/],
    ['a null component', [null], /component 0: expected a skip .* got null/],
    ['a boolean component', ['x', true], /component 1: expected a skip .* got a boolean/],
    ['an array component', [[1]], /component 0: expected a skip .* got an array/],
    ['an unpaired surrogate inserted', ['a\ud83d'], /unpaired UTF-16 surrogate at index 1/],
    ['an unpaired surrogate deleted', [{ d: '\ude00' }], /deleted text has an unpaired .* 0/],
  ])('rejects %s as INVALID_OP', (_kind, op, message) => {
    const error = refusal(op);

    expect(error?.code).toBe('INVALID_OP');
    expect(error?.message).toMatch(message);
  });

  it('accepts every well-formed component kind, measuring in code points and UTF-8 bytes', () => {
    expect(checkOp([2, 'hé😀', { d: 3 }, 1, { d: 'ab😀' }])).toEqual({
      consumed: 9,
      insertedBytes: 7,
    });
  });

  it('accepts the empty operation, which changes nothing', () => {
    expect(refusal([])).toBeUndefined();
  });
});

describe('fit to the document', () => {
  it('rejects a skip past the end, naming the length and where the skip lands', () => {
    const error = refusal([15, 'x']);

    expect(error?.code).toBe('INVALID_OP');
    expect(error?.message).toBe(
      'the operation skips past the end of the document (length 12, skip to 15)',
    );
  });

  it('rejects a delete past the end, naming the length and the deleted range', () => {
    const error = refusal([10, { d: 5 }]);

    expect(error?.code).toBe('INVALID_OP');
    expect(error?.message).toBe(
      'the operation deletes past the end of the document (length 12, delete from 10 to 15)',
    );
  });

  it('measures the document in code points, so an emoji counts once', () => {
    expect(refusal([3, { d: 1 }], 'ab😀c')).toBeUndefined();
    expect(refusal([4, { d: 1 }], 'ab😀c')?.message).toMatch(/length 4, delete from 4 to 5/);
  });

  it('accepts an operation that ends exactly at the end of the document', () => {
    expect(refusal([12, '!'])).toBeUndefined();
    expect(refusal([6, { d: 6 }])).toBeUndefined();
  });
});

describe('size limits', () => {
  it('rejects an operation that inserts more than the per-operation limit as TOO_LARGE', () => {
    const error = refusal(['0123456789', 'abcdefg']);

    expect(error?.code).toBe('TOO_LARGE');
    expect(error?.message).toBe(
      'the operation inserts 17 bytes, more than the limit of 16 bytes per operation; ' +
        'split the text over several operations',
    );
  });

  it('counts inserted text in UTF-8 bytes, so four emoji reach sixteen bytes', () => {
    expect(refusal(['😀😀😀😀'])).toBeUndefined();
    expect(refusal(['😀😀😀😀a'])?.code).toBe('TOO_LARGE');
  });

  it('rejects an operation that would make the document larger than the limit as TOO_LARGE', () => {
    const error = refusal([20, 'x'.repeat(13)], 'hello world, again!!');

    expect(error?.code).toBe('TOO_LARGE');
    expect(error?.message).toBe(
      'the operation would make the document 33 bytes, more than the limit of 32 bytes; ' +
        'delete some text or continue in a new document',
    );
  });

  it('lets an operation through when its deletes keep the document within the limit', () => {
    const text = 'abcdefghijklmnopqrstuvwxyz0123';

    expect(refusal([{ d: 20 }, '😀😀😀😀'], text)).toBeUndefined();
    expect(refusal([{ d: 10 }, '😀😀😀😀'], text)?.code).toBe('TOO_LARGE');
  });

  it('counts deleted text in UTF-8 bytes when deciding the resulting size', () => {
    expect(refusal([{ d: 4 }, 6, '0123456789abcdef'], '😀😀😀😀😀abcdefghij')).toBeUndefined();
  });
});

describe('after a rejection', () => {
  it.each<[string, unknown]>([
    ['a malformed op', [1, 1]],
    ['a delete past the end', [3, 'new', { d: 20 }]],
    ['an oversize insert', [2, 'x'.repeat(40)]],
  ])('leaves the document unchanged after %s', (_kind, op) => {
    const rope = new CodePointRope('héllo 😀 world');

    try {
      validateOp(op, rope, limits);
      textType.apply(rope, op as TextOp);
    } catch {
      // The refusal is the point of the test; what matters is the rope afterwards.
    }

    expect(rope.toString()).toBe('héllo 😀 world');
    expect(rope.length).toBe(13);
  });
});
