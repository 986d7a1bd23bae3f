import * as vscode from 'vscode';
import { runGit } from '../core/deploys/gitRun';

/**
 * `oncall-git:/<path>?<json {root, sha}>`: a file's content at a commit (`git show <sha>:<path>`), read-only, for
 * VS Code's diff editor between two deploys. The SHA and path come from our own git log, never from user text.
 */
export class GitShowProvider implements vscode.TextDocumentContentProvider {
  static uri(root: vscode.Uri, sha: string, file: string): vscode.Uri {
    return vscode.Uri.from({ scheme: 'oncall-git', path: `/${file}`, query: JSON.stringify({ root: root.fsPath, sha }) });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const { root, sha } = JSON.parse(uri.query) as { root: string; sha: string };
    if (!/^[0-9a-f]{7,64}$/i.test(sha)) throw new Error(`not a commit: ${sha}`);
    const file = uri.path.replace(/^\//, '');
    const r = await runGit(['show', `${sha}:${file}`], { cwd: root, timeoutMs: 15_000 });
    if (!r.ok) return ''; // the file did not exist at that commit (added by the deploy): an empty left side
    return r.stdout;
  }
}
