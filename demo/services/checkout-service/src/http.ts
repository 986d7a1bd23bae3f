export interface HttpRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface HttpResult {
  status: number;
  body: unknown;
  /** For 5xx results: what went wrong, reported as the server span's status message. */
  error?: string;
}

export type Handler = (req: HttpRequest) => Promise<HttpResult>;

export function json(status: number, body: unknown, error?: string): HttpResult {
  return { status, body, error };
}
