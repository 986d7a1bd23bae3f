import { setTimeout as sleep } from 'node:timers/promises';

export class DeadlineExceededError extends Error {
  override readonly name = 'DeadlineExceededError';

  constructor(readonly step: string, readonly budgetMs: number, elapsedMs: number) {
    super(`checkout deadline of ${budgetMs}ms exceeded while waiting for ${step} (elapsed ${elapsedMs}ms)`);
  }
}

/**
 * A time budget for one request. race() rejects when the budget is used up.
 * Note: the losing promise is not cancelled; the call it stands for keeps running.
 */
export class Deadline {
  private readonly startedAt = Date.now();

  constructor(readonly budgetMs: number) {}

  remainingMs(): number {
    return this.budgetMs - (Date.now() - this.startedAt);
  }

  async race<T>(work: Promise<T>, step: string): Promise<T> {
    return await Promise.race([work, this.expire(step)]);
  }

  private async expire(step: string): Promise<never> {
    await sleep(Math.max(0, this.remainingMs()), undefined, { ref: false });
    throw new DeadlineExceededError(step, this.budgetMs, Date.now() - this.startedAt);
  }
}
