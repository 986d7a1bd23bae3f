/**
 * Ops in flight: each `op` message carries a fresh request ID, and the host's `applied` with that ID settles it.
 * A request the host never answers settles as an error after a while, so a form is never stuck "Saving…".
 */
import type { AppliedMessage, Op } from './logic';

export interface OpResult {
  readonly ok: boolean;
  readonly error?: string;
  /** The ID of the entry the op added. */
  readonly id?: string;
}

export const NO_ANSWER = 'No answer from VS Code: the change may not have been saved. Your text is kept here; try again.';

export class Requests {
  private readonly pending = new Map<number, (r: OpResult) => void>();

  constructor(
    private readonly nextId: () => number,
    private readonly post: (requestId: number, op: Op) => void,
    private readonly timeoutMs = 20_000,
  ) {}

  send(op: Op): Promise<OpResult> {
    const requestId = this.nextId();
    return new Promise((resolve) => {
      const timer = window.setTimeout(() => {
        this.pending.delete(requestId);
        resolve({ ok: false, error: NO_ANSWER });
      }, this.timeoutMs);
      this.pending.set(requestId, (r) => {
        window.clearTimeout(timer);
        resolve(r);
      });
      this.post(requestId, op);
    });
  }

  applied(m: AppliedMessage): void {
    const settle = this.pending.get(m.requestId);
    if (!settle) return;
    this.pending.delete(m.requestId);
    settle({ ok: m.ok, ...(m.error !== undefined ? { error: String(m.error) } : m.ok ? {} : { error: 'The change was refused.' }), ...(m.id !== undefined ? { id: String(m.id) } : {}) });
  }
}
