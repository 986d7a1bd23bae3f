import * as vscode from 'vscode';
import * as path from 'node:path';
import type { RequestOptions } from '../core/http/request';
import type { Configuration } from '../platform/configuration';

/**
 * Request options from the settings: deadline, size limit, the extra CA file, and VS Code's proxy settings
 * (`http.proxy`, `http.noProxy`, `http.proxyAuthorization`, `http.proxyStrictSSL`; none when `http.proxySupport` is
 * off). VS Code's own hook on Node's agents is not relied on: it is absent in some hosts (code-server's remote
 * extension host does not route through `http.proxy`; the extension-host test proves ours does). Without
 * `http.proxy`, requests go direct, or through the system proxy where VS Code hooks the default agents.
 */
export async function requestOptions(config: Configuration, signal?: AbortSignal): Promise<RequestOptions> {
  const { timeoutMs, maxResponseBytes, caFile } = config.settings.http;
  const httpConfig = vscode.workspace.getConfiguration('http');
  const strictSSL = httpConfig.get<boolean>('proxyStrictSSL', true);
  const support = httpConfig.get<string>('proxySupport', 'override');
  const proxy = support === 'off' ? '' : (httpConfig.get<string>('proxy') ?? '').trim();
  const noProxy = httpConfig.get<string[]>('noProxy') ?? [];
  const proxyAuthorization = httpConfig.get<string | null>('proxyAuthorization') ?? undefined;
  const ca = caFile ? await readCa(caFile) : undefined;
  return {
    timeoutMs,
    maxBytes: maxResponseBytes,
    signal,
    ...(ca !== undefined ? { ca } : {}),
    ...(strictSSL ? {} : { rejectUnauthorized: false }),
    ...(proxy !== '' && /^https?:\/\//i.test(proxy) ? { proxy, noProxy, ...(proxyAuthorization ? { proxyAuthorization } : {}) } : {}),
  };
}

async function readCa(file: string): Promise<string> {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  const uri = path.isAbsolute(file) || !root ? vscode.Uri.file(file) : vscode.Uri.joinPath(root, file);
  try {
    const bytes = await vscode.workspace.fs.readFile(uri);
    const text = new TextDecoder().decode(bytes);
    if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new Error('it holds no PEM certificate ("-----BEGIN CERTIFICATE-----")');
    return text;
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(`The CA file of the setting oncall.http.caFile (${uri.fsPath}) could not be used: ${why}`);
  }
}

/** A cancellation token as an AbortSignal, for the HTTP layer. */
export function abortSignalOf(token: vscode.CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}
