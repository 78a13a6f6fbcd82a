/**
 * Types for `jumprope` 1.2, which ships none. Every position and length it takes or reports
 * is a JavaScript string offset (UTF-16 code units), not a Unicode code point count.
 */
declare module 'jumprope' {
  class JumpRope {
    constructor(text?: string);

    /** The length in UTF-16 code units. */
    readonly length: number;

    insert(position: number, text: string): this;

    /** Deletes `count` code units at `position`; `deleted` receives the removed text. */
    del(position: number, count: number, deleted?: (text: string) => void): this;

    substring(position: number, count: number): string;

    toString(): string;
  }

  export = JumpRope;
}
