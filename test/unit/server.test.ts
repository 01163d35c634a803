import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { createEngine, type Engine } from '../../electron/engine/engine';
import { startServer, type RunningServer } from '../../electron/server/server';
import { tempDbPath, tempDir } from '../helpers';
import { SCHEMA_VERSION } from '../../electron/engine/db/migrations';

/** Raw HTTP so the test controls Host and Origin exactly (fetch would not let it). */
function request(port: number, opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: { Host: `127.0.0.1:${port}`, ...opts.headers } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

describe('browser-mode server', () => {
  let engine: Engine;
  let server: RunningServer;
  let staticDir: string;
  const api = (name: string, body: unknown, headers: Record<string, string> = {}) =>
    request(server.port, {
      method: 'POST',
      path: `/api/${name}`,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${server.token}`, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    staticDir = tempDir();
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
    fs.writeFileSync(path.join(path.dirname(staticDir), 'secret.txt'), 'top secret');
    engine = createEngine({ dbPath: tempDbPath(), mode: 'test' });
    server = await startServer({ engine, staticDir });
  });
  afterAll(async () => {
    await server.close();
    engine.close();
  });

  it('listens on 127.0.0.1 only and prints a URL with a random token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
  });

  it('answers API calls with the token', async () => {
    const r = await api('app-info', {});
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, value: { mode: 'test', schemaVersion: SCHEMA_VERSION } });
  });

  it('refuses a request without the token, or with a wrong one', async () => {
    const none = await request(server.port, { method: 'POST', path: '/api/app-info', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(none.status).toBe(401);
    const wrong = await api('app-info', {}, { Authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.body).error.message).toMatch(/token/);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const r = await api('app-info', {}, { Host: 'evil.example' });
    expect(r.status).toBe(421);
    const s = await request(server.port, { path: '/', headers: { Host: `evil.example:${server.port}` } });
    expect(s.status).toBe(421);
  });

  it('refuses a foreign Origin', async () => {
    const r = await api('app-info', {}, { Origin: 'https://evil.example' });
    expect(r.status).toBe(403);
    const ok = await api('app-info', {}, { Origin: `http://127.0.0.1:${server.port}` });
    expect(ok.status).toBe(200);
  });

  it('rejects invalid payloads with a 400 and a message, and stays up', async () => {
    const badJson = await api('app-info', '{not json');
    expect(badJson.status).toBe(400);
    expect(JSON.parse(badJson.body).error.message).toMatch(/not valid JSON/);
    const badArgs = await api('dashboard-get', { at: 'yesterday' });
    expect(badArgs.status).toBe(400);
    expect(JSON.parse(badArgs.body).error.message).toMatch(/at: expected a date as YYYY-MM-DD/);
    const extra = await api('app-info', { surprise: 1 });
    expect(extra.status).toBe(400);
    const unknown = await api('no-such-handler', {});
    expect(unknown.status).toBe(404);
    expect((await api('app-info', {})).status).toBe(200);
  });

  it('limits the request body size', async () => {
    const r = await api('app-info', JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }));
    expect(r.status).toBe(413);
  });

  it('serves the renderer and refuses path traversal', async () => {
    expect((await request(server.port, { path: '/' })).status).toBe(200);
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%2e%2e%5csecret.txt', '/x%00.html']) {
      const r = await request(server.port, { path: p });
      expect(r.status, p).not.toBe(200);
      expect(r.body).not.toContain('top secret');
    }
  });

  it('sets a strict CSP on the page', async () => {
    const res = await new Promise<http.IncomingMessage>((resolve) =>
      http.get({ host: '127.0.0.1', port: server.port, path: '/', headers: { Host: `127.0.0.1:${server.port}` } }, resolve),
    );
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['x-frame-options']).toBe('DENY');
    res.resume();
  });
});
