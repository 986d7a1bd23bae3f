import * as vscode from 'vscode';
import { redactUrl } from '../core/http/request';
import type { BackendConfig } from '../core/backends/types';
import type { HttpAuth } from '../core/http/request';
import type { Configuration } from '../platform/configuration';
import type { Logger } from '../platform/logger';

const keyOf = (backend: string): string => `oncall.backend.credentials.${backend}`;

/** What kind of credential is stored, in words, never the value. */
export function describeAuth(auth: HttpAuth | undefined): string {
  if (!auth) return 'none';
  switch (auth.kind) {
    case 'bearer':
      return 'a bearer token';
    case 'basic':
      return `basic auth as "${auth.username}"`;
    case 'header':
      return `the header ${auth.name}`;
  }
}

function isAuth(v: unknown): v is HttpAuth {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  switch (o['kind']) {
    case 'bearer':
      return typeof o['token'] === 'string';
    case 'basic':
      return typeof o['username'] === 'string' && typeof o['password'] === 'string';
    case 'header':
      return typeof o['name'] === 'string' && typeof o['value'] === 'string';
    default:
      return false;
  }
}

/**
 * Backend credentials in VS Code's SecretStorage (the OS keychain on desktop), keyed by backend name. Never in
 * settings, never in the log: only `describeAuth` (the kind, and a basic-auth user name) is ever shown.
 */
export class BackendCredentials {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly log: Logger,
  ) {}

  async get(backend: string): Promise<HttpAuth | undefined> {
    const raw = await this.secrets.get(keyOf(backend));
    if (raw === undefined) return undefined;
    try {
      const parsed: unknown = JSON.parse(raw);
      if (isAuth(parsed)) return parsed;
    } catch {
      // fall through
    }
    this.log.warn(`The stored credentials of backend "${backend}" are unreadable; ignoring them. Set them again with "On-Call: Set Backend Credentials…".`);
    return undefined;
  }

  async set(backend: string, auth: HttpAuth): Promise<void> {
    await this.secrets.store(keyOf(backend), JSON.stringify(auth));
    this.log.info(`Stored credentials for backend "${backend}": ${describeAuth(auth)}`);
  }

  async delete(backend: string): Promise<void> {
    await this.secrets.delete(keyOf(backend));
    this.log.info(`Removed the credentials of backend "${backend}"`);
  }
}

type AuthKind = HttpAuth['kind'] | 'remove';

/** "On-Call: Set Backend Credentials…": pick a backend, a kind of credential, and enter it (masked). */
export async function promptForCredentials(config: Configuration, credentials: BackendCredentials, backendName?: string): Promise<boolean> {
  const backends = config.settings.traces.backends;
  if (backends.length === 0) {
    const pick = await vscode.window.showInformationMessage('No trace backends are configured yet. Add one in the setting oncall.traces.backends, then set its credentials.', 'Open Settings');
    if (pick) await vscode.commands.executeCommand('workbench.action.openSettings', 'oncall.traces.backends');
    return false;
  }
  let backend: BackendConfig | undefined = backends.find((b) => b.name === backendName);
  if (!backend) {
    const items = await Promise.all(
      backends.map(async (b) => ({ label: b.name, description: `${b.kind} · ${redactUrl(b.url)}`, detail: `Stored: ${describeAuth(await credentials.get(b.name))}`, backend: b })),
    );
    backend = (await vscode.window.showQuickPick(items, { title: 'Set Backend Credentials', placeHolder: 'Which backend?', ignoreFocusOut: true }))?.backend;
  }
  if (!backend) return false;
  const current = await credentials.get(backend.name);
  const kinds: { label: string; description?: string; auth: AuthKind }[] = [
    { label: '$(key) Bearer token', description: 'Authorization: Bearer …', auth: 'bearer' },
    { label: '$(person) Basic auth', description: 'user name and password', auth: 'basic' },
    { label: '$(symbol-field) Custom header', description: 'e.g. X-API-Key, or a proxy cookie', auth: 'header' },
  ];
  if (current) kinds.push({ label: '$(trash) Remove stored credentials', description: describeAuth(current), auth: 'remove' });
  const kind = (await vscode.window.showQuickPick(kinds, { title: `Credentials for ${backend.name}`, placeHolder: `Stored now: ${describeAuth(current)}`, ignoreFocusOut: true }))?.auth;
  if (!kind) return false;
  const title = `Credentials for ${backend.name}`;
  const ask = (prompt: string, password: boolean, value?: string): Thenable<string | undefined> =>
    vscode.window.showInputBox({ title, prompt, password, value, ignoreFocusOut: true, validateInput: (v) => (v.trim() === '' ? 'Required.' : undefined) });
  let auth: HttpAuth | undefined;
  switch (kind) {
    case 'remove':
      await credentials.delete(backend.name);
      void vscode.window.showInformationMessage(`Removed the credentials of ${backend.name}.`);
      return true;
    case 'bearer': {
      const token = await ask('Bearer token (stored in VS Code secret storage)', true);
      if (token) auth = { kind: 'bearer', token: token.trim() };
      break;
    }
    case 'basic': {
      const username = await ask('User name', false, current?.kind === 'basic' ? current.username : undefined);
      const password = username ? await ask(`Password for ${username.trim()} (stored in VS Code secret storage)`, true) : undefined;
      if (username && password) auth = { kind: 'basic', username: username.trim(), password };
      break;
    }
    case 'header': {
      const name = await ask('Header name, e.g. X-API-Key', false, current?.kind === 'header' ? current.name : undefined);
      if (name && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name.trim())) {
        void vscode.window.showErrorMessage(`"${name}" is not a valid HTTP header name.`);
        return false;
      }
      const value = name ? await ask(`Value of ${name.trim()} (stored in VS Code secret storage)`, true) : undefined;
      if (name && value) auth = { kind: 'header', name: name.trim(), value: value.trim() };
      break;
    }
  }
  if (!auth) return false;
  await credentials.set(backend.name, auth);
  void vscode.window.showInformationMessage(`Stored ${describeAuth(auth)} for ${backend.name} in VS Code's secret storage.`);
  return true;
}
