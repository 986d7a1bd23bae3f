import * as vscode from 'vscode';
import { parseTraceUri } from '../core/traces/links';
import type { Logger } from '../platform/logger';
import type { OpenOutcome, TraceOpener } from './openTrace';

/**
 * Opens traces from links: `vscode://oncall-lens.oncall-lens/trace/<id>?backend=<name>` — for Grafana data links and
 * exemplar URLs, alert messages and chat. The link can only choose among the backends the user configured; it never
 * carries a URL to fetch.
 */
export class TraceUriHandler implements vscode.UriHandler {
  /** The last link handled and its outcome (for the tests). */
  last: Promise<OpenOutcome | undefined> | undefined;

  constructor(
    private readonly opener: TraceOpener,
    private readonly log: Logger,
  ) {}

  handleUri(uri: vscode.Uri): void {
    this.log.info(`Link: ${uri.path}${uri.query ? `?${uri.query}` : ''}`);
    const target = parseTraceUri(uri);
    if ('error' in target) {
      this.log.warn(target.error);
      void vscode.window.showErrorMessage(target.error);
      this.last = Promise.resolve(undefined);
      return;
    }
    this.last = this.opener.open(target.traceId, target.source !== undefined ? { source: target.source } : {});
  }
}
