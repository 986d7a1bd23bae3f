/** Alias of ./index for callers that import `core/backends/fetch` (the extension host): fetching and reading traces. */
export * from './index';
export { isEmptyTrace, traceEndpoint } from './fetchTrace';
