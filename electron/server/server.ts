import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Engine } from '../engine/engine';
import { Day, type ApiError } from '../../shared/api/define';
import { checkHost, checkOrigin, tokensEqual, requestToken, resolveStaticPath, mimeType, CONTENT_SECURITY_POLICY } from './security';
import { z } from 'zod';
import { renderReportPdf } from '../engine/services/pdf';
import { toApiError } from '../engine/errors';

/**
 * The browser mode: the built renderer and the API on 127.0.0.1 only. Every API request needs the
 * per-launch token; every request needs our own Host (DNS rebinding) and, when sent, our own Origin.
 */
export interface ServerOptions {
  engine: Engine;
  staticDir: string;
  port?: number;
  token?: string;
  maxJsonBytes?: number;
  maxUploadBytes?: number;
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const STATUS: Record<ApiError['code'], number> = {
  'invalid-argument': 400,
  'unknown-handler': 404,
  'not-found': 404,
  refused: 409,
  conflict: 409,
  cancelled: 409,
  internal: 500,
};

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const maxJson = opts.maxJsonBytes ?? 1024 * 1024;
  const maxUpload = opts.maxUploadBytes ?? 4 * 1024 * 1024 * 1024;
  const log = opts.log ?? (() => {});
  let port = 0;

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      log(`internal error on ${req.method} ${safePath(req.url)}: ${(e as Error).message}`);
      if (!res.headersSent) send(res, 500, { ok: false, error: { code: 'internal', message: 'The server failed on this request.' } });
      else res.destroy();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // only origin-form targets ("/path?query"): "//host" or backslashes would let the URL parser
    // read the path as another host
    const target = req.url ?? '/';
    const pathPart = target.split('?')[0];
    let url: URL;
    try {
      if (!pathPart.startsWith('/') || pathPart.startsWith('//') || pathPart.includes('\\')) throw new Error('not a path');
      url = new URL(`http://127.0.0.1:${port}${target}`);
    } catch {
      return refuse(res, 400, 'Refused: the request target is not a plain path.');
    }
    if (!checkHost(req.headers.host, port)) return refuse(res, 421, 'Refused: this server only answers to 127.0.0.1 and localhost.');
    if (!checkOrigin(req.headers.origin, port)) return refuse(res, 403, 'Refused: requests from another origin are not allowed.');
    if (req.headers['sec-fetch-site'] === 'cross-site') return refuse(res, 403, 'Refused: cross-site request.');

    if (url.pathname.startsWith('/api/')) {
      if (!tokensEqual(requestToken(req.headers, url), token)) return refuse(res, 401, 'Refused: missing or wrong token. Open the URL printed by "drawdown serve".');
      if (req.method !== 'POST') return refuse(res, 405, 'Use POST for API calls.');
      if (url.pathname === '/api/upload') return upload(req, res, url);
      if (url.pathname === '/api/report-pdf-file') return reportPdf(req, res);
      return apiCall(req, res, url.pathname.slice('/api/'.length));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed.');
    return serveStatic(res, url.pathname);
  }

  async function apiCall(req: http.IncomingMessage, res: http.ServerResponse, name: string): Promise<void> {
    const type = req.headers['content-type'] ?? '';
    if (!type.startsWith('application/json')) return refuse(res, 415, 'Send the argument as application/json.');
    const body = await readBody(req, maxJson);
    if (body === null) return refuse(res, 413, `The request body is larger than ${maxJson} bytes.`);
    let args: unknown;
    try {
      args = body.length ? JSON.parse(body.toString('utf8')) : {};
    } catch (e) {
      return send(res, 400, { ok: false, error: { code: 'invalid-argument', message: `The request body is not valid JSON: ${(e as Error).message}` } });
    }
    const result = await opts.engine.call(name, args);
    send(res, result.ok ? 200 : STATUS[result.error.code], result);
  }

  /** Streams an uploaded file to a private temp file and registers it; the renderer gets a reference. */
  async function upload(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const name = path.basename(url.searchParams.get('name') ?? 'upload.csv').slice(0, 255) || 'upload.csv';
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drawdown-upload-'));
    const file = path.join(dir, randomUUID());
    const out = fs.createWriteStream(file, { mode: 0o600 });
    let size = 0;
    let tooBig = false;
    await new Promise<void>((resolve, reject) => {
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxUpload && !tooBig) {
          tooBig = true;
          req.unpipe(out);
          out.destroy();
          resolve();
        }
      });
      req.pipe(out);
      out.on('finish', resolve);
      out.on('error', reject);
      req.on('error', reject);
    });
    if (tooBig) {
      fs.rmSync(dir, { recursive: true, force: true });
      return refuse(res, 413, `The file is larger than ${maxUpload} bytes.`);
    }
    const ref = opts.engine.ctx.files.register(file, name, true);
    send(res, 200, { ok: true, value: ref });
  }

  /** A report's print route as a PDF body (the browser mode's Export PDF), printed by headless Chromium. */
  async function reportPdf(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req, maxJson);
    if (body === null) return refuse(res, 413, `The request body is larger than ${maxJson} bytes.`);
    let parsed: z.infer<typeof PdfArgs>;
    try {
      parsed = PdfArgs.parse(JSON.parse(body.toString('utf8') || '{}'));
    } catch (e) {
      const message = e instanceof z.ZodError ? e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : (e as Error).message;
      return send(res, 400, { ok: false, error: { code: 'invalid-argument', message: `Invalid report request: ${message}` } });
    }
    const report = parsed.route.slice('/print/'.length) as 'reconciliation' | 'incidents' | 'forecast' | 'summary';
    const { from, to } = parsed.query;
    try {
      const pdf = await renderReportPdf({ engine: opts.engine, startServer, rendererDir: opts.staticDir, report, from, to });
      res.writeHead(200, {
        'Content-Type': 'application/pdf',
        'Content-Length': pdf.length,
        'Content-Disposition': `attachment; filename="drawdown-${report}-${from}-${to}.pdf"`,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      });
      res.end(pdf);
    } catch (e) {
      const error = toApiError(e);
      log(`report PDF failed: ${error.message}`);
      send(res, STATUS[error.code], { ok: false, error });
    }
  }

  function serveStatic(res: http.ServerResponse, urlPath: string): void {
    const file = resolveStaticPath(opts.staticDir, urlPath);
    if (!file) return refuse(res, 400, 'Refused: that path leaves the application folder.');
    let target = file;
    if (!fs.existsSync(target) || fs.statSync(target).isDirectory()) {
      // client-side routes fall back to the app shell; missing assets are a plain 404
      if (path.extname(target)) return refuse(res, 404, 'Not found.');
      target = path.join(opts.staticDir, 'index.html');
      if (!fs.existsSync(target)) return refuse(res, 404, 'The renderer is not built: run "npm run build".');
    }
    res.writeHead(200, {
      'Content-Type': mimeType(target),
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-cache',
    });
    fs.createReadStream(target).pipe(res);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as { port: number }).port;
  server.requestTimeout = 0; // uploads of large exports take a while
  server.headersTimeout = 30_000;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const PdfArgs = z
  .object({
    route: z.enum(['/print/reconciliation', '/print/incidents', '/print/forecast', '/print/summary']),
    query: z.object({ from: Day, to: Day }).strict().refine((q) => q.from <= q.to, 'from must not be after to'),
  })
  .strict();

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(text);
}

function refuse(res: http.ServerResponse, status: number, message: string): void {
  const code: ApiError['code'] = status === 400 ? 'invalid-argument' : status === 404 ? 'not-found' : 'refused';
  send(res, status, { ok: false, error: { code, message } });
}

/** The path without its query, so a token never reaches a log line. */
function safePath(url: string | undefined): string {
  return (url ?? '').split('?')[0];
}
