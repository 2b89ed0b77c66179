import { hc } from 'hono/client';
import type { AppType } from '../../../../api/app.ts';

/** The typed HTTP client; every call goes through `call()` so failures become `ApiError`s. */
export const api = hc<AppType>('/api', { init: { credentials: 'same-origin' } });

/** A failed API call, carrying the stable code the server answered. */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown>;
  constructor(status: number, code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details ?? {};
  }

  /** `details.fields` of a 422 `request.invalid`: field name → error codes. */
  get fields(): Record<string, string[]> {
    const fields = this.details.fields;
    return fields && typeof fields === 'object' ? (fields as Record<string, string[]>) : {};
  }
}

/** Network failures (server down, offline) surface with this code. */
export const NETWORK_ERROR = 'network';

interface JsonResponse<T> {
  ok: boolean;
  status: number;
  json(): Promise<T>;
}

type ErrorBody = { error?: { code?: string; message?: string; details?: Record<string, unknown> } };

/** Turns a non-2xx response into an `ApiError`. */
export async function errorFrom(res: { status: number; json(): Promise<unknown> }): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as ErrorBody | null;
  const e = body?.error;
  return new ApiError(res.status, e?.code ?? `http.${res.status}`, e?.message ?? `HTTP ${res.status}`, e?.details);
}

/** Awaits an `hc` call; resolves with the 2xx body, rejects with `ApiError`. */
export async function call<T>(request: Promise<JsonResponse<T>>): Promise<Exclude<T, ErrorBody>> {
  let res: JsonResponse<T>;
  try {
    res = await request;
  } catch (err) {
    throw new ApiError(0, NETWORK_ERROR, err instanceof Error ? err.message : String(err));
  }
  if (!res.ok) throw await errorFrom(res as unknown as Response);
  return (await res.json()) as Exclude<T, ErrorBody>;
}

/** Plain JSON POST for routes outside the typed app (better-auth under /api/auth). */
export async function postJson<T>(url: string, body: unknown): Promise<T> {
  return call<T>(
    fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }) as Promise<JsonResponse<T>>,
  );
}
