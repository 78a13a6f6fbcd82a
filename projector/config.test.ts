import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, policyFromEnv, policyKey } from './config.ts';

describe('the projector policy', () => {
  it('defaults to a snapshot every 1,000 operations or 30 seconds and a 5-minute revision pause', () => {
    expect(policyFromEnv({})).toEqual(DEFAULT_POLICY);
    expect(DEFAULT_POLICY).toMatchObject({
      snapshotEvery: 1_000,
      snapshotSeconds: 30,
      revisionPauseSeconds: 300,
    });
  });

  it('reads its variables from the environment', () => {
    const policy = policyFromEnv({
      SNAPSHOT_EVERY: '50',
      SNAPSHOT_SECONDS: '5',
      REVISION_PAUSE_SECONDS: '60',
    });

    expect(policy).toMatchObject({
      snapshotEvery: 50,
      snapshotSeconds: 5,
      revisionPauseSeconds: 60,
    });
  });

  it('fails start-up with the name of a variable that is not a positive whole number', () => {
    expect(() => policyFromEnv({ SNAPSHOT_EVERY: 'often' })).toThrow(/SNAPSHOT_EVERY/);
    expect(() => policyFromEnv({ REVISION_PAUSE_SECONDS: '0' })).toThrow(/REVISION_PAUSE_SECONDS/);
  });

  it('has a key that changes with every rule', () => {
    expect(policyKey(DEFAULT_POLICY)).toBe(policyKey({ ...DEFAULT_POLICY }));
    expect(policyKey({ ...DEFAULT_POLICY, snapshotEvery: 999 })).not.toBe(
      policyKey(DEFAULT_POLICY),
    );
  });
});
