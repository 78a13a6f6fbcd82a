import { describe, expect, it } from 'vitest';
import type { Submission } from '../../common/protocol.ts';
import {
  loadTrace,
  traceAvailable,
  traceMissingReason,
  type TraceName,
} from '../../common/traces.ts';
import { patchToOp } from '../ot/patch-op.ts';
import { MemoryHistory } from './memory-history.ts';
import { Sequencer } from './sequencer.ts';
import { DEFAULT_TEST_OPTIONS } from './testing/harness.ts';

/** Replays a trace through the core as one client typing on the head, one patch per op. */
async function replay(name: TraceName): Promise<{ text: string; head: number; patches: number }> {
  const sequencer = new Sequencer(new MemoryHistory(), DEFAULT_TEST_OPTIONS);
  let seq = 0;
  for (const txn of loadTrace(name).txns) {
    for (const patch of txn.patches) {
      const submission: Submission = {
        doc: 'trace',
        v: seq,
        src: 'author',
        seq: ++seq,
        op: patchToOp(patch),
        user: 'author',
      };
      const outcome = await sequencer.submit(submission, 0);
      if (outcome.kind !== 'sequenced') throw new Error(`patch ${seq} was ${outcome.kind}`);
    }
  }
  return { ...sequencer.document('trace')!, patches: seq };
}

describe('real editing traces', () => {
  for (const name of ['automerge-paper', 'seph-blog1'] as const) {
    const title = traceAvailable(name)
      ? `replays ${name} through the core to its recorded final text`
      : `replays ${name} (skipped: ${traceMissingReason(name)})`;

    it.skipIf(!traceAvailable(name))(title, async () => {
      const result = await replay(name);

      expect(result.head).toBe(result.patches);
      expect(result.text).toBe(loadTrace(name).endContent);
    });
  }
});
