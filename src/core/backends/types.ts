/**
 * Trace backends as the user configures them (setting `oncall.traces.backends`, later the service catalog).
 * Credentials are never part of this: they live in VS Code's SecretStorage and are passed per request.
 */

export type BackendKind = 'jaeger' | 'jaeger-v3' | 'tempo' | 'tempo-v2' | 'zipkin';

export const backendKinds: readonly BackendKind[] = ['jaeger', 'jaeger-v3', 'tempo', 'tempo-v2', 'zipkin'];

export const backendKindLabels: Readonly<Record<BackendKind, string>> = {
  jaeger: 'Jaeger (/api/traces)',
  'jaeger-v3': 'Jaeger v3 (/api/v3/traces, OTLP JSON)',
  tempo: 'Tempo (/api/traces)',
  'tempo-v2': 'Tempo ≥ 2.6 (/api/v2/traces)',
  zipkin: 'Zipkin v2 (/api/v2/trace)',
};

export interface BackendConfig {
  /** Unique, shown to the user ("jaeger-prod"); the key of its credentials in SecretStorage. */
  readonly name: string;
  readonly kind: BackendKind;
  /** Base URL including any path prefix, e.g. `https://jaeger.example.com/jaeger` or `http://tempo:3200`. */
  readonly url: string;
  /** Search window for trace-by-ID when the backend needs one (Tempo, Jaeger): the last N hours. Absent = no window. */
  readonly lookbackHours?: number | undefined;
  /** Tempo multi-tenancy: sent as `X-Scope-OrgID`. */
  readonly tenant?: string | undefined;
}
