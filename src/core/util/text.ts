/**
 * Text from traces and metrics shown in VS Code quick picks: labels, descriptions and details there render `$(name)` as
 * a codicon. Data is not markup — a span named `$(loading~spin)` must read as written, not spin.
 */
export function noIcons(text: string): string {
  // A zero-width joiner between `$` and `(` breaks the icon syntax and is invisible.
  return text.replace(/\$\(/g, '$\u200d(');
}
