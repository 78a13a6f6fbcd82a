/**
 * The projector's policy: when it writes a snapshot and when a new revision begins. Every
 * rule reads only the events themselves (versions, authors, timestamps), never the clock of
 * the process that projects them, so a restarted, rebalanced or rebuilding projector draws
 * exactly the same snapshots and revisions from the same history.
 */
import { z } from 'zod';

export interface ProjectionPolicy {
  /** A snapshot once this many operations have accumulated since the last one. */
  snapshotEvery: number;
  /** A snapshot at the first operation this many seconds after the last snapshot's version. */
  snapshotSeconds: number;
  /** A revision ends when nobody edits for this long. */
  revisionPauseSeconds: number;
  /**
   * Someone not yet among a revision's authors joins it only when they start editing within
   * this many seconds of its last edit; later, their edits begin a revision of their own.
   */
  revisionJoinSeconds: number;
}

export const DEFAULT_POLICY: ProjectionPolicy = {
  snapshotEvery: 1_000,
  snapshotSeconds: 30,
  revisionPauseSeconds: 300,
  revisionJoinSeconds: 30,
};

const positiveInt = z.coerce.number().int().positive();

const schema = z.object({
  SNAPSHOT_EVERY: positiveInt.default(DEFAULT_POLICY.snapshotEvery),
  SNAPSHOT_SECONDS: positiveInt.default(DEFAULT_POLICY.snapshotSeconds),
  REVISION_PAUSE_SECONDS: positiveInt.default(DEFAULT_POLICY.revisionPauseSeconds),
});

/** The projector's environment variables, for the README's configuration table. */
export const PROJECTOR_CONFIG_NAMES = Object.keys(schema.shape);

/** Reads the policy from the environment; a bad value fails start-up with the variable's name. */
export function policyFromEnv(env: NodeJS.ProcessEnv = process.env): ProjectionPolicy {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`bad projector configuration: ${problems.join('; ')}`);
  }
  return {
    snapshotEvery: parsed.data.SNAPSHOT_EVERY,
    snapshotSeconds: parsed.data.SNAPSHOT_SECONDS,
    revisionPauseSeconds: parsed.data.REVISION_PAUSE_SECONDS,
    revisionJoinSeconds: DEFAULT_POLICY.revisionJoinSeconds,
  };
}

/**
 * A stable text form of a policy. A rebuild records it, so that an interrupted rebuild is
 * resumed only under the policy it started with.
 */
export function policyKey(policy: ProjectionPolicy): string {
  const { snapshotEvery, snapshotSeconds, revisionPauseSeconds, revisionJoinSeconds } = policy;
  return JSON.stringify({
    snapshotEvery,
    snapshotSeconds,
    revisionPauseSeconds,
    revisionJoinSeconds,
  });
}
