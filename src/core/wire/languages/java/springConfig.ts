/**
 * Spring Boot's path settings from src/main/resources/application.properties / application.yml: the servlet
 * context path, the DispatcherServlet path and the WebFlux base path, which prefix every route of the app.
 * Only the default profile is read (the first value of a key wins; later YAML documents are usually profiles).
 */
import type { ProjectView } from '../../language';
import { joinRoute } from '../../routes';

const CONFIG_FILES = ['application.properties', 'application.yml', 'application.yaml'];

/** The prefix Spring Boot puts before every route of the service rooted at `serviceRoot`, or undefined when none is set. */
export function springPathPrefix(project: ProjectView, serviceRoot: string): { prefix: string; file: string } | undefined {
  for (const name of CONFIG_FILES) {
    const file = (serviceRoot === '' ? '' : serviceRoot + '/') + 'src/main/resources/' + name;
    const text = project.read(file);
    if (text === undefined) continue;
    const props = name.endsWith('.properties') ? readProperties(text) : readYaml(text);
    const context = props.get('server.servlet.context-path') ?? '';
    const servlet = props.get('spring.mvc.servlet.path') ?? '';
    const webflux = props.get('spring.webflux.base-path') ?? '';
    const prefix = joinRoute(context, servlet, webflux);
    if (prefix !== '/') return { prefix, file };
  }
  return undefined;
}

/** `key=value`, `key: value`, `key value`; `#` and `!` comment lines. Placeholders (`${X:/api}`) take their default. */
export function readProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const m = /^([^=:\s]+)\s*[=:\s]\s*(.*)$/.exec(line);
    if (m && !out.has(m[1] as string)) out.set(m[1] as string, cleanValue(m[2] as string));
  }
  return out;
}

/** Nested and dotted YAML keys flattened to `a.b.c` (enough for scalar settings; lists and anchors are skipped). */
export function readYaml(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const stack: { indent: number; key: string }[] = [];
  for (const raw of text.split(/\r?\n/)) {
    if (/^---/.test(raw)) break;
    if (/^\s*(#|$)/.test(raw) || /^\s*-/.test(raw)) continue;
    const m = /^(\s*)([^:#\s][^:#]*?)\s*:(?:\s+(.*))?$/.exec(raw);
    if (!m) continue;
    const indent = (m[1] as string).length;
    while (stack.length > 0 && (stack[stack.length - 1] as { indent: number }).indent >= indent) stack.pop();
    const segment = (m[2] as string).replace(/^["']|["']$/g, '');
    const key = [...stack.map((s) => s.key), segment].join('.');
    const value = m[3]?.replace(/\s+#.*$/, '').trim();
    if (value === undefined || value === '') stack.push({ indent, key: segment });
    else if (!out.has(key)) out.set(key, cleanValue(value));
  }
  return out;
}

function cleanValue(v: string): string {
  let s = v.trim().replace(/^(["'])(.*)\1$/, '$2');
  const placeholder = /^\$\{[^:}]+:([^}]*)\}$/.exec(s);
  if (placeholder) s = placeholder[1] as string;
  return s;
}
