import * as vscode from 'vscode';

/** What features log through: the "On-Call Lens" log output channel. Never log a secret. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
  debug(message: string): void;
  /** Runs `work`, logging `what` with how long it took (and the failure, if any). */
  timed<T>(what: string, work: () => Promise<T>): Promise<T>;
  show(): void;
}

export function createLogger(): Logger & vscode.Disposable {
  const channel = vscode.window.createOutputChannel('On-Call Lens', { log: true });
  return {
    info: (m) => channel.info(m),
    warn: (m) => channel.warn(m),
    error: (m, e) => channel.error(e === undefined ? m : `${m}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
    debug: (m) => channel.debug(m),
    async timed<T>(what: string, work: () => Promise<T>): Promise<T> {
      const t0 = performance.now();
      try {
        const result = await work();
        channel.info(`${what} (${(performance.now() - t0).toFixed(0)} ms)`);
        return result;
      } catch (e) {
        channel.warn(`${what} failed after ${(performance.now() - t0).toFixed(0)} ms: ${e instanceof Error ? e.message : String(e)}`);
        throw e;
      }
    },
    show: () => channel.show(true),
    dispose: () => channel.dispose(),
  };
}
