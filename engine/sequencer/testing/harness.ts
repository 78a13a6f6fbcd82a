/**
 * A sequencer wired to an in-memory history the way the service wires it to the event store:
 * every sequenced event is appended before the next submission.
 */
import type { Submission, TextOp } from '../../../common/protocol.ts';
import { MemoryHistory } from '../memory-history.ts';
import { Sequencer, type Outcome, type SequencerOptions } from '../sequencer.ts';

export const DEFAULT_TEST_OPTIONS: SequencerOptions = {
  maxVersionLag: 10_000,
  opWindow: 1_000,
  maxOpInsertBytes: 64 * 1024,
  maxDocBytes: 10 * 1024 * 1024,
};

export class Harness {
  readonly history = new MemoryHistory();
  readonly sequencer: Sequencer;
  private clock = 1_000;

  constructor(options: Partial<SequencerOptions> = {}) {
    this.sequencer = new Sequencer(this.history, { ...DEFAULT_TEST_OPTIONS, ...options });
  }

  /** Submits and stores the result, as the service does. */
  async submit(submission: Submission): Promise<Outcome> {
    const outcome = await this.sequencer.submit(submission, this.clock++);
    if (outcome.kind === 'sequenced') this.history.append(outcome.op);
    return outcome;
  }

  text(doc: string): string | undefined {
    return this.sequencer.document(doc)?.text;
  }
}

/** A submission with defaults for the fields a test does not care about. */
export function submission(
  fields: Partial<Submission> & { v: number; seq: number; op: TextOp },
): Submission {
  return { doc: 'doc-1', src: 'client-a', user: 'ann', ...fields };
}
