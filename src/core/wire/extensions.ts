/**
 * The file extensions the wire scan reads and the manifests that mark a service's root, without loading any extractor (the extension host imports this; the
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

/** Manifests whose folder is a service's root. */
export const MANIFESTS: ReadonlySet<string> = new Set([
  'go.mod',
  'package.json',
  'pom.xml',
  'build.gradle',
  'build.gradle.kts',
  'Cargo.toml',
  'pyproject.toml',
  'setup.py',
  'requirements.txt',
  'Pipfile',
  'manage.py',
  'Gemfile',
  'composer.json',
  'CMakeLists.txt',
  'global.json',
]);
