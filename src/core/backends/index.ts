/** Trace backends: fetch one trace by ID, search, list names. Pure core (no `vscode`): extension host, worker, CLI. */
export type { BackendConfig, BackendKind } from './types';
export { backendKinds, backendKindLabels } from './types';
export type { BackendFailure, BackendFailureKind } from './failures';
export { setCredentialsCommand } from './failures';
export type { FetchOptions, FetchResult } from './fetchTrace';
export { canonicalTraceId, fetchTrace } from './fetchTrace';
export type { TraceBodyResult } from './traceBody';
export { fetchTraceBody } from './traceBody';
export type { NamesResult, SearchResult, TraceQuery, TraceSummary } from './search';
export { listOperations, listServices, searchTraces, traceQl } from './search';
