/**
 * Go: net/http (incl. Go 1.22 method patterns), gorilla/mux, chi, gin, echo, fiber, httprouter and Prometheus's
 * route package; gRPC servers;
 * entry points and error exits. The reading itself is in go/reader.ts; imports resolve through the nearest go.mod.
 */
import type { LanguageSupport } from '../language';
import { packageFiles } from './go/module';
import { readGo } from './go/reader';

/**
 * Substrings that mark a file worth parsing: a router framework or net/http (which handler signatures need),
 * gRPC (imports, generated-server markers, the usual unary method shapes), serverless starters, `func main`.
 */
const HINTS: readonly string[] = [
  'net/http',
  'go-chi/chi',
  'gorilla/mux',
  'gin-gonic/gin',
  'labstack/echo',
  'gofiber/fiber',
  'julienschmidt/httprouter',
  'prometheus/common/route',
  'google.golang.org/grpc',
  'Unimplemented',
  'context.Context, req *',
  'Request) (*',
  'aws-lambda-go',
  'functions-framework-go',
  'func main()',
];

export const goSupport: LanguageSupport = {
  language: 'go',
  extensions: ['.go'],
  grammar: () => 'go',
  interesting: (text, file) => !file.endsWith('_test.go') && HINTS.some((h) => text.includes(h)),
  extract: (input) => readGo(input.root, input.file, input.project),
  resolveModule: (fromFile, module, project) => packageFiles(fromFile, module, project),
  packageIsFolder: true,
};
