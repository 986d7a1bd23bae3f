/** What one language contributes to the wire scan: which files, how to read them, how its imports resolve. */
import type { Language } from '@vscode/tree-sitter-wasm';
import type { Node } from './node';
import type { FileFacts } from './facts';
import type { WireLanguage } from './model';
import type { Grammar } from './treeSitter';

/** The workspace as the resolver sees it (paths are workspace-relative with forward slashes). */
export interface ProjectView {
  has(file: string): boolean;
  /** Files directly in a folder ('' = the root). */
  filesIn(dir: string): readonly string[];
  /** The folder of the nearest manifest above a file ('' = the root). */
  serviceRootOf(file: string): string;
  /** The text of a small project file (go.mod, tsconfig.json), or undefined. */
  read(file: string): string | undefined;
  /**
   * Optional (the index has them): `recordReads` runs `run` and returns, with its value, what it asked of the
   * project; `stillReads` tells whether every one of those questions still has the same answer (asking them
   * again, so they count as read by the file being extracted now). For results cached across files.
   */
  recordReads?<T>(run: () => T): { value: T; reads: ProjectReads };
  stillReads?(reads: ProjectReads): boolean;
}

/** What a piece of work asked of a ProjectView, with the answers (opaque outside the index). */
export type ProjectReads = readonly (readonly [string, string | boolean | undefined])[];

export interface ExtractInput {
  readonly root: Node;
  readonly text: string;
  /** Workspace-relative, forward slashes. */
  readonly file: string;
  readonly language: Language;
  readonly grammar: Grammar;
  readonly project: ProjectView;
}

export interface LanguageSupport {
  readonly language: WireLanguage;
  /** Lower-case file extensions with the dot (`.go`), or whole file names (`routes.rb` is still `.rb`). */
  readonly extensions: readonly string[];
  /** The grammar for a file (ts vs tsx), or undefined for a language read without tree-sitter (.proto). */
  grammar(file: string): Grammar | undefined;
  /**
   * A cheap test on the raw text before parsing: can this file hold routes, gRPC services or implementations,
   * entry points? A file that says no is not parsed by the cold scan (it is when opened in an editor).
   */
  interesting(text: string, file: string): boolean;
  /** Reads the facts of one parsed file. Must not throw on odd code: skip what is not understood, add a warning. */
  extract(input: ExtractInput): FileFacts;
  /** Reads a file without a grammar (proto). */
  extractText?(text: string, file: string): FileFacts;
  /** The files an import's module names, best first (empty when it is outside the workspace). */
  resolveModule?(fromFile: string, module: string, project: ProjectView): readonly string[];
  /** The module name of `name` inside `module` (Python `.routers` + `items` → `.routers.items`), to try a submodule before a symbol. */
  submodule?(module: string, name: string): string;
  /** Whether `package` refs see the top-level names of other files in the same folder (Go). */
  readonly packageIsFolder?: boolean;
}
