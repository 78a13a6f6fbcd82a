/**
 * Per-socket rate limits. A client over its allowance gets RATE_LIMITED with the time after
 * which it may try again, instead of queueing work the gateway cannot keep up with.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { rateLimited } from '../../common/errors.ts';
import type { GatewayLimits } from '../limits.ts';

type Action = 'op' | 'presence' | 'join';

export class RateLimits {
  private readonly limiters: Record<Action, RateLimiterMemory>;

  constructor(limits: GatewayLimits) {
    this.limiters = {
      op: new RateLimiterMemory({ points: limits.opsPerSecond, duration: 1 }),
      presence: new RateLimiterMemory({ points: limits.presencePerSecond, duration: 1 }),
      join: new RateLimiterMemory({ points: limits.joinsPerSecond, duration: 1 }),
    };
  }

  /**
   * Spends one unit of `action` for the socket, or throws RATE_LIMITED.
   *
   * @example
   * await rateLimits.consume('op', socket.id);
   */
  async consume(action: Action, socketId: string): Promise<void> {
    try {
      await this.limiters[action].consume(socketId);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      throw rateLimited(
        `too many ${describe(action)}; try again in ${error.msBeforeNext} ms`,
        error.msBeforeNext,
      );
    }
  }
}

function describe(action: Action): string {
  switch (action) {
    case 'op':
      return 'operations';
    case 'presence':
      return 'presence updates';
    case 'join':
      return 'joins';
  }
}
