import type { Role } from '@opsloom/api';
import type { BrowserHarness } from './browser-harness';

/** A JSON request to the harness's server as a test role, failing loudly on an unexpected status. */
export async function apiRequest<T>(h: BrowserHarness, method: string, path: string, body?: unknown, options: { role?: Role; headers?: Record<string, string>; expect?: number } = {}): Promise<T> {
  const headers: Record<string, string> = { ...h.testApp.as(options.role ?? 'admin'), ...options.headers };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${h.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  if (options.expect !== undefined ? response.status !== options.expect : !response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}
