/** Reads what the gateways write to `ops.submit`, to check what did and did not get through. */
import { TOPICS, type Submission } from '../../common/protocol.ts';
import type { Log, LogConsumer } from '../../engine/ports/log.ts';
import { uniqueName } from '../services.ts';
import { waitFor } from './helpers.ts';

export interface SubmissionWatcher {
  submissions: Submission[];
  /** Waits until a submission for `doc` with `seq` has been read. */
  seen(doc: string, seq: number): Promise<Submission>;
  forDoc(doc: string): Submission[];
  stop(): Promise<void>;
}

export async function watchSubmissions(log: Log): Promise<SubmissionWatcher> {
  const submissions: Submission[] = [];
  const consumer: LogConsumer = await log.consume({
    groupId: uniqueName('watcher'),
    topics: [TOPICS.submit],
    fromBeginning: true,
    eachBatch: async (batch) => {
      for (const message of batch.messages) submissions.push(JSON.parse(message.value));
    },
  });
  const forDoc = (doc: string) => submissions.filter((s) => s.doc === doc);
  return {
    submissions,
    forDoc,
    seen: (doc, seq) =>
      waitFor(() => forDoc(doc).find((s) => s.seq === seq), 20_000, `submission ${doc}#${seq}`),
    stop: () => consumer.stop(),
  };
}
