/** Every language the wire scan reads, and which one reads a file. */
import type { LanguageSupport } from '../language';
import { extOf } from '../paths';
import { cppSupport } from './cpp';
import { csharpSupport } from './csharp';
import { goSupport } from './go';
import { javaSupport } from './java';
import { javascriptSupport, typescriptSupport } from './javascript';
import { phpSupport } from './php';
import { protoSupport } from './proto';
import { pythonSupport } from './python';
import { rubySupport } from './ruby';
import { rustSupport } from './rust';

export const LANGUAGES: readonly LanguageSupport[] = [goSupport, pythonSupport, javaSupport, javascriptSupport, typescriptSupport, csharpSupport, rustSupport, rubySupport, phpSupport, cppSupport, protoSupport];

const byExt = new Map<string, LanguageSupport>();
for (const l of LANGUAGES) for (const e of l.extensions) byExt.set(e, l);

export function supportFor(file: string): LanguageSupport | undefined {
  return byExt.get(extOf(file));
}
