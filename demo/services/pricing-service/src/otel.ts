// Loaded before the app with `node --import ./dist/otel.js`; exports spans over OTLP/HTTP to the
// node-local collector, which forwards them to the tracing backend.
import { NodeSDK } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';

const sdk = new NodeSDK({
  serviceName: 'pricing-service',
  traceExporter: new OTLPTraceExporter({ url: process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? 'http://localhost:4318/v1/traces' }),
});
sdk.start();
process.once('SIGTERM', () => void sdk.shutdown());
