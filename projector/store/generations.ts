/**
 * Names of each projection generation's collections (MongoDB) or tables (SQLite).
 * Generation 0 uses the plain names of the storage layout — `snapshots`, `revisions`,
 * `projections`, and `latest` beside them — and every rebuild creates the next generation beside it with a suffix.
 */

export interface GenerationNames {
  snapshots: string;
  /** One latest text per document. */
  latest: string;
  revisions: string;
  /** The projector's state per document. */
  projections: string;
  /** The `docs` fields of a staging generation, copied into `docs` when it goes live. */
  stagedDocs: string;
}

export function generationNames(generation: number): GenerationNames {
  const suffix = generation === 0 ? '' : `_g${generation}`;
  return {
    snapshots: `snapshots${suffix}`,
    latest: `latest${suffix}`,
    revisions: `revisions${suffix}`,
    projections: `projections${suffix}`,
    stagedDocs: `docs_staged${suffix}`,
  };
}

/** Where the live generation is recorded, with the staging one while a rebuild runs. */
export interface GenerationPointer {
  live: number;
  staging: number | null;
  stagingPolicy: string | null;
}

export const INITIAL_POINTER: GenerationPointer = { live: 0, staging: null, stagingPolicy: null };

/** The staging generation a rebuild under `policyKey` continues, or null to start a new one. */
export function resumableStaging(
  pointer: GenerationPointer,
  policyKey: string,
  fresh: boolean,
): number | null {
  if (fresh || pointer.staging === null) return null;
  return pointer.stagingPolicy === policyKey ? pointer.staging : null;
}

/** The number of a new staging generation: above every generation ever used. */
export function nextGeneration(pointer: GenerationPointer): number {
  return Math.max(pointer.live, pointer.staging ?? 0) + 1;
}
