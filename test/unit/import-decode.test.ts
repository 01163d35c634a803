import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { StreamDecoder, decodeAll, sniffEncoding, firstInvalidUtf8 } from '../../electron/engine/import/decode';

/** Windows-1252 for the characters these tests use (Node has no cp1252 encoder). */
function encodeCp1252(text: string): Buffer {
  const special: Record<string, number> = { '€': 0x80, '‚': 0x82, '„': 0x84, '…': 0x85, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97, '™': 0x99 };
  return Buffer.from(
    [...text].map((ch) => {
      if (special[ch] !== undefined) return special[ch];
      const c = ch.charCodeAt(0);
      if (c < 0x80 || (c >= 0xa0 && c <= 0xff)) return c;
      throw new Error(`not in cp1252: ${ch}`);
    }),
  );
}

function encodeUtf16(text: string, be: boolean, bom = true): Buffer {
  const le = Buffer.from(text, 'utf16le');
  const body = be ? Buffer.from(le).swap16() : le;
  return bom ? Buffer.concat([Buffer.from(be ? [0xfe, 0xff] : [0xff, 0xfe]), body]) : body;
}

function decodeChunks(bytes: Uint8Array, cuts: number[]): { text: string; encoding: string } {
  const d = new StreamDecoder();
  let text = '';
  let prev = 0;
  for (const c of [...new Set(cuts)].filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b)) {
    text += d.write(bytes.subarray(prev, c));
    prev = c;
  }
  text += d.write(bytes.subarray(prev));
  text += d.end();
  return { text, encoding: d.encoding };
}

const sample = 'Lieferant,Betrag,Beschreibung\r\nCafé Société,"1.234,50 €",Crédits prépayés — “API”\r\n';

describe('decode', () => {
  it('sniffs BOMs and falls back to Windows-1252 for non-UTF-8 bytes', () => {
    expect(sniffEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x61]))).toEqual({ encoding: 'utf-8', bom: true, bomLength: 3 });
    expect(sniffEncoding(Buffer.from([0xff, 0xfe, 0x61, 0]))).toEqual({ encoding: 'utf-16le', bom: true, bomLength: 2 });
    expect(sniffEncoding(Buffer.from([0xfe, 0xff, 0, 0x61]))).toEqual({ encoding: 'utf-16be', bom: true, bomLength: 2 });
    expect(sniffEncoding(Buffer.from('plain ascii')).encoding).toBe('utf-8');
    expect(sniffEncoding(encodeCp1252('Café 5 €')).encoding).toBe('windows-1252');
    expect(sniffEncoding(encodeUtf16('a,b\n1,2\n', false, false)).encoding).toBe('utf-16le');
    expect(sniffEncoding(encodeUtf16('a,b\n1,2\n', true, false)).encoding).toBe('utf-16be');
  });

  it('validates UTF-8 precisely', () => {
    expect(firstInvalidUtf8(Buffer.from('é€😀'))).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xc3]))).toBe(1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xc3]), true)).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0); // surrogate
    expect(firstInvalidUtf8(Buffer.from([0xc0, 0xaf]))).toBe(0); // overlong
  });

  it('UTF-8 with and without BOM, UTF-16 LE/BE with BOM and Windows-1252 decode to the same text', () => {
    const variants = {
      utf8: Buffer.from(sample, 'utf8'),
      utf8bom: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(sample, 'utf8')]),
      utf16le: encodeUtf16(sample, false),
      utf16be: encodeUtf16(sample, true),
      cp1252: encodeCp1252(sample),
    };
    const expected = { utf8: 'utf-8', utf8bom: 'utf-8', utf16le: 'utf-16le', utf16be: 'utf-16be', cp1252: 'windows-1252' };
    for (const [name, bytes] of Object.entries(variants)) {
      const r = decodeAll(bytes);
      expect(r.text, name).toBe(sample);
      expect(r.encoding, name).toBe(expected[name as keyof typeof expected]);
    }
  });

  it('switches to Windows-1252 at the first invalid byte found after the sniff window', () => {
    const head = 'x'.repeat(5000);
    const bytes = Buffer.concat([Buffer.from(head), encodeCp1252('Café €\n')]);
    const r = decodeAll(bytes);
    expect(r.text).toBe(`${head}Café €\n`);
    expect(r.encoding).toBe('windows-1252');
    expect(decodeChunks(bytes, [4999, 5003, 5004]).text).toBe(r.text);
  });

  it('property: any chunking of UTF-8 / UTF-16 bytes decodes to the same text', () => {
    const text = fc.string({ unit: fc.constantFrom('a', ',', '\n', '\r', 'é', '€', '😀', '中', '"'), maxLength: 200 });
    fc.assert(
      fc.property(text, fc.constantFrom('utf8', 'utf8bom', 'utf16le', 'utf16be'), fc.array(fc.nat({ max: 1000 }), { maxLength: 10 }), (t, enc, cuts) => {
        const bytes =
          enc === 'utf8'
            ? Buffer.from(t, 'utf8')
            : enc === 'utf8bom'
              ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t, 'utf8')])
              : encodeUtf16(t, enc === 'utf16be');
        const whole = decodeAll(bytes).text;
        expect(whole).toBe(t);
        expect(decodeChunks(bytes, cuts.map((c) => c % (bytes.length + 1))).text).toBe(t);
      }),
      { numRuns: 500 },
    );
  });

  it('property: Windows-1252 bytes decode the same whatever the chunking', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'é', '€', 'ü', '—', ',', '\n'), minLength: 1, maxLength: 100 });
    fc.assert(
      fc.property(text, fc.array(fc.nat({ max: 200 }), { maxLength: 8 }), (t, cuts) => {
        const bytes = encodeCp1252(t);
        const whole = decodeAll(bytes);
        // a few cp1252 sequences are also valid UTF-8 ("é€€" = E9 80 80 = U+9000): those stay UTF-8
        if (firstInvalidUtf8(bytes) !== -1) {
          expect(whole.encoding).toBe('windows-1252');
          expect(whole.text).toBe(t);
        }
        expect(decodeChunks(bytes, cuts).text).toBe(whole.text);
      }),
      { numRuns: 300 },
    );
  });
});
