/**
 * When this gateway accepted each recent submission, so that the time from submission to
 * fan-out can be measured when the same gateway fans the result out. With several gateways a
 * submission is fanned out by whichever gateway owns its partition; only those that return
 * to their own gateway are timed, which samples the latency without any cross-gateway clock.
 */
const MAX_TRACKED = 10_000;

export class SubmitClock {
  private readonly started = new Map<string, number>();

  accepted(doc: string, src: string, seq: number): void {
    if (this.started.size >= MAX_TRACKED) {
      const oldest = this.started.keys().next().value;
      if (oldest !== undefined) this.started.delete(oldest);
    }
    this.started.set(key(doc, src, seq), performance.now());
  }

  /** Seconds since the submission was accepted here, or null when it was not. */
  fannedOut(doc: string, src: string, seq: number): number | null {
    const k = key(doc, src, seq);
    const started = this.started.get(k);
    if (started === undefined) return null;
    this.started.delete(k);
    return (performance.now() - started) / 1000;
  }
}

function key(doc: string, src: string, seq: number): string {
  return `${doc}\u0000${src}\u0000${seq}`;
}
