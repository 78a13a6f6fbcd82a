/**
 * Readiness: the gateway serves once its log, stores and adapter are connected. Each part
 * reports itself; `/readyz` lists the parts still missing.
 */
export class Readiness {
  private readonly parts = new Map<string, () => boolean>();

  /**
   * Adds a part whose state is read on every check.
   *
   * @example
   * readiness.track('redis', () => pubClient.isReady);
   */
  track(part: string, isReady: () => boolean): void {
    this.parts.set(part, isReady);
  }

  /** The parts that are not ready; empty when the gateway is. */
  waiting(): string[] {
    return [...this.parts].filter(([, isReady]) => !isReady()).map(([part]) => part);
  }
}
