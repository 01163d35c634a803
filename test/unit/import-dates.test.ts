import { describe, it, expect } from 'vitest';
import { parseInstant, parseDay, isDateOnly } from '../../electron/engine/import/parse-dates';

describe('parse-dates', () => {
  it.each([
    ['2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z'],
    ['2024-01-01T00:00:00.123Z', '2024-01-01T00:00:00Z'],
    ['2024-11-01T00:00:00+00:00', '2024-11-01T00:00:00Z'],
    ['2024-11-01T02:30:00+02:30', '2024-11-01T00:00:00Z'],
    ['2024-11-01T00:00:00-0500', '2024-11-01T05:00:00Z'],
    ['2024-09-01 00:00:00', '2024-09-01T00:00:00Z'],
    ['2026-02-06 18:54:30.040', '2026-02-06T18:54:30Z'],
    ['2025-10-01 00:00:00 UTC', '2025-10-01T00:00:00Z'],
    ['2025-10-01', '2025-10-01T00:00:00Z'],
    ['2025-10-01T10:00', '2025-10-01T10:00:00Z'],
    ['20251001', '2025-10-01T00:00:00Z'],
    ['4/1/25', '2025-04-01T00:00:00Z'],
    ['12/31/2024', '2024-12-31T00:00:00Z'],
    ['10/01/2025 3:04:05 PM', '2025-10-01T15:04:05Z'],
    ['10/01/2025 12:00 AM', '2025-10-01T00:00:00Z'],
    ['1730419200', '2024-11-01T00:00:00Z'],
    ['1730419200.0', '2024-11-01T00:00:00Z'],
    ['1730419200123', '2024-11-01T00:00:00Z'],
    ['  2024-01-01T00:00:00Z  ', '2024-01-01T00:00:00Z'],
  ])('auto: %s → %s', (text, iso) => {
    expect(parseInstant(text)).toBe(iso);
  });

  it.each(['', 'NULL', 'not a date', '2024-13-01', '2024-02-30', '2/30/24', '13/1/2024', '2024-01-01T25:00:00Z', '12345', '2024-01-01T00:00:00+99:00'])(
    'invalid → null: %j',
    (text) => {
      expect(parseInstant(text)).toBeNull();
    },
  );

  it('reads dd/MM/yyyy only when asked', () => {
    expect(parseInstant('31/10/2025')).toBeNull();
    expect(parseInstant('05/10/2025')).toBe('2025-05-10T00:00:00Z');
    expect(parseInstant('31/10/2025', 'dmy')).toBe('2025-10-31T00:00:00Z');
    expect(parseInstant('05/10/2025', 'dmy')).toBe('2025-10-05T00:00:00Z');
    expect(parseInstant('01.10.2025', 'dmy')).toBe('2025-10-01T00:00:00Z');
    expect(parseInstant('2025-10-01', 'dmy')).toBe('2025-10-01T00:00:00Z');
  });

  it('epoch formats and two-digit years', () => {
    expect(parseInstant('1730419200', 'epoch-s')).toBe('2024-11-01T00:00:00Z');
    expect(parseInstant('1730419200000', 'epoch-ms')).toBe('2024-11-01T00:00:00Z');
    expect(parseInstant('86400', 'epoch-s')).toBe('1970-01-02T00:00:00Z');
    expect(parseInstant('1/2/99')).toBe('2099-01-02T00:00:00Z');
  });

  it('days and date-only cells', () => {
    expect(parseDay('2024-09-30 23:00:00')).toBe('2024-09-30');
    expect(parseDay('2024-09-30T23:00:00-02:00')).toBe('2024-10-01');
    expect(isDateOnly('2025-10-01')).toBe(true);
    expect(isDateOnly('4/1/25')).toBe(true);
    expect(isDateOnly('2025-10-01 00:00:00')).toBe(false);
  });
});
