import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect, afterAll } from 'vitest';
import { parseFile, parseFileSync, previewFile, parseBuffer, ContentHasher, rowHash } from '../../electron/engine/import/parse-file';
import type { ParsedRow } from '../../electron/engine/import/types';
import { validateMapping, type CustomMapping } from '../../electron/engine/import/formats';
import { sharedData, tempDir } from '../helpers';

/** Windows-1252 for the characters used here (Node has no cp1252 encoder). */
function encodeCp1252(text: string): Buffer {
  const special: Record<string, number> = { '€': 0x80, '—': 0x97, '™': 0x99 };
  return Buffer.from(
    [...text].map((ch) => {
      if (special[ch] !== undefined) return special[ch];
      const c = ch.charCodeAt(0);
      if (c < 0x80 || (c >= 0xa0 && c <= 0xff)) return c;
      throw new Error(`not in cp1252: ${ch}`);
    }),
  );
}

function encodeUtf16(text: string, be: boolean): Buffer {
  const le = Buffer.from(text, 'utf16le');
  return Buffer.concat([Buffer.from(be ? [0xfe, 0xff] : [0xff, 0xfe]), be ? Buffer.from(le).swap16() : le]);
}

const dir = tempDir('drawdown-import-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'formats');

let n = 0;
function file(content: string | Uint8Array, name = `f${n++}.csv`): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

async function parse(p: string, opts: Parameters<typeof parseFile>[1] = {}) {
  const rows: ParsedRow[] = [];
  const summary = await parseFile(p, opts, (r) => rows.push(...r));
  return { summary, rows };
}

const xero = [
  '*ContactName,*InvoiceNumber,*InvoiceDate,*DueDate,Description,*Quantity,*UnitAmount,Currency',
  'Café Société,INV-1,01/10/2025,31/10/2025,Crédits prépayés — 500 €,2,250.25,EUR',
  '"Über, GmbH",INV-2,15/10/2025,14/11/2025,"Token-Paket ""Pro"" ™",1,99.99,EUR',
].join('\r\n');

describe('parseFile', () => {
  it('contentHash ignores BOM, CRLF vs LF and the final newline; byteHash does not', async () => {
    const lf = 'a,b\n1,2\n3,"x\ny"\n';
    const variants = [lf, lf.slice(0, -1), `\uFEFF${lf}`, lf.replace(/\n/g, '\r\n'), `\uFEFF${lf.replace(/\n/g, '\r\n').slice(0, -2)}`, lf.replace(/\n/g, '\r')];
    const mapping: CustomMapping = { kind: 'usage', columns: { periodStart: 'a', inputTokens: 'b' } };
    const sums = [];
    for (const v of variants) sums.push((await parse(file(v), { mapping })).summary);
    expect(new Set(sums.map((s) => s.contentHash)).size).toBe(1);
    expect(new Set(sums.map((s) => s.byteHash)).size).toBe(variants.length);
    // UTF-16 of the same text too, at an odd chunk size
    const { summary } = await parse(file(encodeUtf16(lf, false)), { chunkBytes: 7, mapping });
    expect(summary.contentHash).toBe(sums[0].contentHash);
    expect(summary.encoding).toBe('utf-16le');
  });

  it('ContentHasher: chunk boundaries between \\r and \\n do not matter', () => {
    const h = (parts: string[]) => {
      const c = new ContentHasher();
      parts.forEach((p) => c.update(p));
      return c.digest();
    };
    const whole = h(['a\r\nb\r\n']);
    expect(h(['a\r', '\nb\r', '\n'])).toBe(whole);
    expect(h(['a', '\r', '\n', 'b', '\n'])).toBe(whole);
    expect(h(['a\nb'])).toBe(whole);
    expect(h(['a\nb\n\n'])).not.toBe(whole);
  });

  it('UTF-8, UTF-8 BOM, UTF-16 LE/BE with BOM and Windows-1252 (€, é) give the same records and row hashes', async () => {
    const encodings: Record<string, Uint8Array> = {
      'utf-8': Buffer.from(xero, 'utf8'),
      'utf-8 bom': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xero, 'utf8')]),
      'utf-16le': encodeUtf16(xero, false),
      'utf-16be': encodeUtf16(xero, true),
      'windows-1252': encodeCp1252(xero),
    };
    const results = [];
    for (const [name, bytes] of Object.entries(encodings)) {
      const r = await parse(file(bytes), { chunkBytes: 5 });
      expect(r.summary.format.id, name).toBe('invoice-xero');
      results.push({ name, ...r });
    }
    expect(results.map((r) => r.summary.encoding)).toEqual(['utf-8', 'utf-8', 'utf-16le', 'utf-16be', 'windows-1252']);
    const first = results[0];
    expect(first.rows.map((r) => r.result)).toMatchObject([
      { ok: true, mapped: { kind: 'invoice', record: { issuer: 'Café Société', description: 'Crédits prépayés — 500 €', amountText: '500.50', currency: 'EUR', issuedOn: '2025-10-01' } } },
      { ok: true, mapped: { record: { issuer: 'Über, GmbH', description: 'Token-Paket "Pro" ™', amountText: '99.99', dueOn: '2025-11-14' } } },
    ]);
    for (const r of results.slice(1)) {
      expect(r.rows, r.name).toEqual(first.rows);
      expect(r.summary.contentHash, r.name).toBe(first.summary.contentHash);
    }
    // the parse thread's reader (one buffer reused for every read) gives the same, however the bytes are cut
    for (const [name, bytes] of Object.entries(encodings)) {
      const p = file(bytes);
      const streamed = await parse(p, { chunkBytes: 5 });
      for (const chunkBytes of [1, 2, 3, 5, 7, 64, 1 << 20]) {
        const rows: ParsedRow[] = [];
        const progress: number[] = [];
        const summary = parseFileSync(p, { chunkBytes, onProgress: (x) => progress.push(x.bytes) }, (r) => rows.push(...r));
        expect(rows, `${name} ${chunkBytes}`).toEqual(streamed.rows);
        expect(summary, `${name} ${chunkBytes}`).toEqual(streamed.summary);
        expect(progress.at(-1)).toBe(bytes.length);
      }
    }
  });

  it('an unknown header throws a clear error listing the headers and pointing to the mapping editor', async () => {
    const p = path.join(FIXTURES, 'custom-semicolon.csv');
    await expect(parse(p)).rejects.toThrow(/No import format recognises this file\. Headers seen: Datum, Projekt, Modell, Eingabe-Tokens, Ausgabe-Tokens, Betrag, Währung\..*mapping editor/);
  });

  it('semicolon + decimal comma + dd.MM.yyyy through a custom mapping', async () => {
    const mapping: CustomMapping = {
      kind: 'usage',
      columns: { periodStart: 'Datum', subAccountName: 'Projekt', model: 'Modell', inputTokens: 'Eingabe-Tokens', outputTokens: 'Ausgabe-Tokens', billedCost: 'Betrag', currency: 'Währung' },
      dateFormat: 'dmy',
      decimalSeparator: ',',
      provider: 'openai',
      name: 'Kostenbericht',
    };
    const { summary, rows } = await parse(path.join(FIXTURES, 'custom-semicolon.csv'), { mapping });
    expect(summary.format).toEqual({ id: 'custom', label: 'Custom mapping: Kostenbericht', kind: 'usage' });
    expect(summary.delimiter).toBe(';');
    expect(rows.map((r) => r.result)).toMatchObject([
      { ok: true, mapped: { record: { provider: 'openai', periodStart: '2025-10-01T00:00:00Z', subAccountName: 'Suche', inputTokens: 1500, outputTokens: 300, billedCostText: '1234.56', billedCostMicros: 1_234_560_000, currency: 'EUR' } } },
      { ok: true, mapped: { record: { periodStart: '2025-10-31T00:00:00Z', modelRaw: 'claude-sonnet-4-5', billedCostText: '0.05', billedCostMicros: 50_000 } } },
    ]);
  });

  it('a mapping that does not fit the file is refused with the reasons', async () => {
    const p = path.join(FIXTURES, 'custom-semicolon.csv');
    await expect(parse(p, { mapping: { kind: 'usage', columns: { periodStart: 'Date', billedCost: 'Betrag' } } })).rejects.toThrow(
      /column "Date" \(mapped to periodStart\) is not in the file.*need a currency/,
    );
    expect(validateMapping({ kind: 'invoice', columns: { amount: 'x' }, currency: 'USD' }, ['x'])).toEqual(['Invoice number (invoiceNumber) must be mapped to a column']);
  });

  it('amounts in cents and invoice / incident custom mappings', () => {
    const text = 'No;Total;Date\nA-1;12345;2025-10-01\n';
    const { rows } = parseBuffer(Buffer.from(text), { mapping: { kind: 'invoice', columns: { invoiceNumber: 'No', amount: 'Total', issuedOn: 'Date' }, currency: 'usd', unit: 'minor' } });
    expect(rows[0].result).toMatchObject({ ok: true, mapped: { kind: 'invoice', record: { invoiceNumber: 'A-1', amountText: '123.45', amountMicros: 123_450_000, currency: 'USD', issuedOn: '2025-10-01', category: 'purchase' } } });
    const inc = parseBuffer(Buffer.from('Ref,What,When,Keys\nX1,Key leak,2025-10-03 08:00,"k1|k2"\n'), {
      mapping: { kind: 'incident', columns: { externalId: 'Ref', title: 'What', detectedAt: 'When', apiKeys: 'Keys' } },
    });
    expect(inc.rows[0].result).toMatchObject({ ok: true, mapped: { kind: 'incident', record: { source: 'custom', externalId: 'X1', detectedAt: '2025-10-03T08:00:00Z', apiKeys: ['k1', 'k2'] } } });
  });

  it('hostile cells (formula prefixes, SQL, control characters) are kept verbatim', async () => {
    const titles = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", '-1+1', '@SUM(1+1)*cmd', "'; DROP TABLE incidents; --", 'bell\u0007 nul\u0000 esc\u001b[31m', '\u202Egnp.exe', '<script>alert(1)</script>'];
    const csv = ['id,title,detected_at', ...titles.map((t, i) => `${i},"${t.replace(/"/g, '""')}",2025-10-01T00:00:00Z`)].join('\n');
    const { rows } = await parse(file(csv));
    expect(rows.map((r) => (r.result.ok === true && r.result.mapped.kind === 'incident' ? r.result.mapped.record.title : r.result))).toEqual(titles);
    expect(rows.map((r) => r.cells[1])).toEqual(titles);
  });

  it('broken quoting and wrong column counts become RowErrors with line and message; other rows still parse', async () => {
    const csv = [
      'id,title,detected_at',
      '1,fine,2025-10-01T00:00:00Z',
      '2,bro"ken,2025-10-01T00:00:00Z',
      '3,"multi',
      'line",2025-10-01T00:00:00Z',
      '4,too,many,2025-10-01T00:00:00Z',
      '5,"closed"junk,2025-10-01T00:00:00Z',
      '6,"never closed,2025-10-01T00:00:00Z',
      '7,after,2025-10-01T00:00:00Z',
    ].join('\n');
    const { rows, summary } = await parse(file(csv));
    expect(summary.rowsRead).toBe(7);
    const view = rows.map((r) => (r.result.ok === true ? `ok ${r.line}` : r.result.ok === false ? `${r.result.error.line} ${r.result.error.column} ${r.result.error.message}` : 'skip'));
    expect(view).toEqual([
      'ok 2',
      '3 title unexpected quote in the middle of unquoted column 2 (quote the whole field and double the quote)',
      'ok 4',
      '6 null expected 3 columns as in the header, found 4 (a delimiter or quote in a value may be unescaped)',
      '7 title unexpected text after the closing quote in column 2 (a quote inside a quoted field must be doubled)',
      '8 title unterminated quoted field in column 2: a quote opened on line 8 is never closed',
      'ok 9',
    ]);
    expect(rows[2].result.ok === true && rows[2].result.mapped.kind === 'incident' && rows[2].result.mapped.record.title).toBe('multi\nline');
  });

  it('blank rows are skipped, an empty file is refused, a header-only file has no rows', async () => {
    const { rows } = await parse(file('id,title,detected_at\n,,\n1,x,2025-10-01\n'));
    expect(rows.map((r) => r.result.ok)).toEqual(['skip', true]);
    await expect(parse(file(''))).rejects.toThrow(/empty/);
    const h = await parse(file('id,title,detected_at\n'));
    expect(h.rows).toEqual([]);
    expect(h.summary.rowsRead).toBe(0);
  });

  it('streams: rows arrive in several batches with progress, and the result does not depend on the chunk size', async () => {
    const p = sharedData('focus-sample', 'focus_sample_1.0.csv');
    const size = fs.statSync(p).size;
    const batches: number[] = [];
    const progress: { rows: number; bytes: number; totalBytes: number }[] = [];
    const summary = await parseFile(p, { chunkBytes: 16 * 1024, onProgress: (x) => progress.push(x) }, (r) => batches.push(r.length));
    expect(batches.length).toBeGreaterThan(10);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(progress.at(-1)).toEqual({ rows: 1000, bytes: size, totalBytes: size });
    expect(summary.bytes).toBe(size);
    const again = await parse(p, { chunkBytes: 1 << 20 });
    expect(again.summary).toEqual(summary);
  });

  it('honours an AbortSignal (before and during)', async () => {
    const p = sharedData('focus-sample', 'focus_sample_1.0.csv');
    const before = new AbortController();
    before.abort();
    await expect(parseFile(p, { signal: before.signal }, () => {})).rejects.toMatchObject({ name: 'AbortError' });
    const during = new AbortController();
    let batches = 0;
    const err = await parseFile(p, { signal: during.signal, chunkBytes: 4096 }, () => {
      batches++;
      during.abort();
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('AbortError');
    expect(batches).toBe(1);
  });

  it('row hashes are stable and unambiguous', () => {
    expect(rowHash(['a', 'b'])).toMatch(/^[0-9a-f]{64}$/);
    expect(rowHash(['a', 'b'])).not.toBe(rowHash(['a\x1fb']));
    expect(rowHash(['a\x1f', 'b'])).not.toBe(rowHash(['a', '\x1fb']));
    const crlf = parseBuffer(Buffer.from('id,title,detected_at\r\n1,"x\r\ny",2025-10-01\r\n'));
    const lf = parseBuffer(Buffer.from('\uFEFFid,title,detected_at\n1,"x\r\ny",2025-10-01'));
    expect(crlf.rows[0].contentHash).toBe(lf.rows[0].contentHash);
  });

  it('hashes a row with U+001F in a cell as its cells, however the file is cut (the parser skips the search until it meets one)', () => {
    const lines = Array.from({ length: 40 }, (_, i) => `${i},"t${i}",2025-10-01`);
    lines[30] = '30,"a\x1fb",2025-10-01';
    lines[31] = '31,"a","\x1fb"';
    const text = `id,title,detected_at\n${lines.join('\n')}\n`;
    for (const chunkBytes of [7, 64, 1 << 20]) {
      const { rows } = parseBuffer(Buffer.from(text), { chunkBytes });
      expect(rows).toHaveLength(40);
      for (const r of rows) expect(r.contentHash).toBe(rowHash(r.cells));
      expect(rows[30].contentHash).toBe(rowHash(['30', 'a\x1fb', '2025-10-01']));
      // '31', 'a', '\x1fb' joined by U+001F would read as '31', 'a', '', 'b': the JSON form keeps them apart
      expect(rows[31].contentHash).toBe(rowHash(['31', 'a', '\x1fb']));
      expect(rows[31].contentHash).not.toBe(rowHash(['31', 'a', '', 'b'], true));
    }
  });
});

describe('previewFile', () => {
  it('reads only the beginning: header, ranked candidates and the first rows', async () => {
    const p = sharedData('focus-sample', 'focus_sample_1.0.csv');
    const prev = await previewFile(p, { limit: 5 });
    expect(prev.format?.id).toBe('focus-1.0');
    expect(prev.candidates[0].format.id).toBe('focus-1.0');
    expect(prev.headers).toHaveLength(44);
    expect(prev.rows).toHaveLength(5);
    expect(prev.rows.every((r) => r.result.ok === true)).toBe(true);
    expect(prev.bytesRead).toBeLessThan(prev.totalBytes);
    expect(prev.complete).toBe(false);
    expect(prev.error).toBeNull();
  });

  it('an unknown file previews without a format (the mapping editor opens), then with a mapping', async () => {
    const p = path.join(FIXTURES, 'custom-semicolon.csv');
    const prev = await previewFile(p);
    expect(prev.format).toBeNull();
    expect(prev.candidates).toEqual([]);
    expect(prev.headers).toEqual(['Datum', 'Projekt', 'Modell', 'Eingabe-Tokens', 'Ausgabe-Tokens', 'Betrag', 'Währung']);
    expect(prev.delimiter).toBe(';');
    expect(prev.error).toMatch(/mapping editor/);
    expect(prev.rows.map((r) => r.cells[0])).toEqual(['01.10.2025', '31.10.2025']);
    expect(prev.complete).toBe(true);

    const mapped = await previewFile(p, { mapping: { kind: 'usage', columns: { periodStart: 'Datum', billedCost: 'Betrag', currency: 'Währung' }, dateFormat: 'dmy', decimalSeparator: ',' } });
    expect(mapped.format?.id).toBe('custom');
    expect(mapped.rows[0].result).toMatchObject({ ok: true, mapped: { record: { billedCostText: '1234.56' } } });
  });
});
