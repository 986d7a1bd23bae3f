/**
 * The file extensions the wire scan reads, without loading any extractor (the extension host imports this; the
 * parsers live in the worker). A unit test keeps it equal to the extensions of the registered languages.
 */
export const WIRE_EXTENSIONS: readonly string[] = [
  '.go',
  '.py',
  '.java',
  '.js',
  '.mjs',
  '.cjs',
  '.jsx',
  '.ts',
  '.tsx',
  '.mts',
  '.cts',
  '.cs',
  '.rs',
  '.rb',
  '.ru',
  '.php',
  '.cc',
  '.cpp',
  '.cxx',
  '.hpp',
  '.hh',
  '.h',
  '.proto',
];
