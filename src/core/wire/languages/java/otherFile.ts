/**
 * Reading a second file of the same language during one file's extraction: the constants class a route prefix
 * comes from (`Paths.API`), the base controller a C# controller inherits its [Route] from. The file is read
 * through the ProjectView, parsed with the grammar of the file being extracted, and what `read` returns is
 * cached by file and text (a changed file is parsed again), and by what `read` itself read of the project (a
 * constant from a third file: when that file changed, or was deleted, the result is computed again). Shared by
 * the Java and C# extractors.
 */
import type { Language } from '@vscode/tree-sitter-wasm';
import type { Node } from '../../node';
import { parseWith } from '../../treeSitter';
import type { ProjectReads, ProjectView } from '../../language';

const cache = new Map<string, { text: string; value: unknown; reads: ProjectReads | undefined }>();
/** Files being read right now: a constant that refers back to its own file's importer stops here. */
const reading = new Set<string>();

/**
 * `read(root)` over the tree of `file`, or undefined when the file does not exist, is too large, or is already
 * being read further up the stack (a cycle). `purpose` keeps results of different readers apart in the cache.
 */
export function readOtherFile<T>(project: ProjectView, file: string, language: Language, purpose: string, read: (root: Node) => T): T | undefined {
  const text = project.read(file);
  if (text === undefined) return undefined;
  const key = purpose + '\0' + file;
  const hit = cache.get(key);
  if (hit && hit.text === text && (!hit.reads || !project.stillReads || project.stillReads(hit.reads))) return hit.value as T;
  if (reading.has(key)) return undefined;
  reading.add(key);
  try {
    return parseWith(language, text, (root) => {
      if (!project.recordReads) {
        const value = read(root);
        cache.set(key, { text, value, reads: undefined });
        return value;
      }
      const { value, reads } = project.recordReads(() => read(root));
      cache.set(key, { text, value, reads });
      return value;
    });
  } finally {
    reading.delete(key);
  }
}
