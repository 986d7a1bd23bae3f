import http from 'node:http';
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Handler, HttpRequest } from './http';
import { codeAttributesOf } from './telemetry';
import { handleCheckout } from './checkoutHandler';

interface Route {
  method: string;
  route: string;
  handler: Handler;
}

const routes: Route[] = [{ method: 'POST', route: '/api/checkout', handler: handleCheckout }];
const tracer = trace.getTracer('checkout-service', '2.31.0');

async function dispatch(req: HttpRequest, res: http.ServerResponse): Promise<void> {
  const route = routes.find((r) => r.method === req.method && r.route === req.path);
  if (!route) {
    res.writeHead(404).end();
    return;
  }
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const span = tracer.startSpan(`${req.method} ${route.route}`, {
    kind: SpanKind.SERVER,
    attributes: {
      'http.request.method': req.method,
      'http.route': route.route,
      'url.path': req.path,
      'url.scheme': 'http',
      'server.address': 'checkout-service',
      'server.port': 8080,
      ...codeAttributesOf(route.handler),
    },
  }, parent);
  try {
    const result = await context.with(trace.setSpan(parent, span), () => route.handler(req));
    span.setAttribute('http.response.status_code', result.status);
    if (result.status >= 500) {
      span.setAttribute('error.type', String(result.status));
      span.setStatus({ code: SpanStatusCode.ERROR, message: result.error });
    }
    res.writeHead(result.status, { 'content-type': 'application/json' }).end(JSON.stringify(result.body));
  } catch (err) {
    span.recordException(err as Error);
    span.setAttributes({ 'http.response.status_code': 500, 'error.type': (err as Error).name });
    span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
    res.writeHead(500).end();
  } finally {
    span.end();
  }
}

export function startServer(port = 8080): http.Server {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://checkout-service');
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body: unknown = raw ? JSON.parse(raw) : undefined;
    void dispatch({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body }, res);
  });
  return server.listen(port);
}
