import { describe, it, expect, afterEach } from 'vitest';
import { createEngine, type Engine } from '../../electron/engine/engine';
import { runCli } from '../../electron/cli/main';
import { sharedData, tempDbPath } from '../helpers';
import { cliIo } from './ledger-helpers';
import type { Job } from '../../shared/domain';

/**
 * The FOCUS 1.2 virtual-currency scenarios, imported through the real pipeline (import-start),
 * as the ledger and its CLI show them: a 100,000-Token block, 615 Token drawn on day one, and
 * scenario c's renewal (25,000 Token) and overage (1,500 Token) purchases.
 */
const saas = (f: string) => sharedData('focus-spec-scenarios', 'saas_examples', f);
const TOKEN = 1_000_000;

const engines: Engine[] = [];
afterEach(() => {
  for (const e of engines.splice(0)) e.close();
});

async function importFile(e: Engine, file: string): Promise<void> {
  const job = await e.invoke('import-start', { fileRef: e.ctx.files.register(file).ref });
  const done: Job = await e.ctx.jobs.wait(job.id, undefined, 5);
  if (done.state !== 'done') throw new Error(`import of ${file} ${done.state}: ${done.message}`);
}

describe('ledger on the FOCUS virtual-currency scenarios', () => {
  it('a1 + a2: the 100,000-Token block with 615 Token drawn on day one, priced at 2 USD a Token', async () => {
    const dbPath = tempDbPath();
    const e = createEngine({ dbPath, mode: 'test' });
    engines.push(e);
    await importFile(e, saas('virtual_currency_pricing_model_a1.csv'));
    await importFile(e, saas('virtual_currency_pricing_model_a2.csv'));
    const l = await e.invoke('ledger-get', {});
    expect(l.asOf).toBe('2025-04-01');
    expect(l.blocks).toEqual([
      expect.objectContaining({ unit: 'Token', purchasedOn: '2025-04-01', expiresOn: '2026-04-01', purchasedMicros: 100_000 * TOKEN, consumedMicros: 615 * TOKEN, remainingMicros: 99_385 * TOKEN, expiredMicros: 0 }),
    ]);
    expect(l.accounts).toEqual([expect.objectContaining({ unit: 'Token', consumedMicros: 615 * TOKEN, overageMicros: 0 })]);
    const [b] = await e.invoke('blocks-list', {});
    expect(b).toMatchObject({ unitPriceMicros: 2_000_000, source: 'focus-purchase', burnPerDayMicros: Math.round((615 * TOKEN) / 30) });
    e.close();
    engines.pop();

    // the CLI prints the same ledger
    const out = cliIo();
    expect(await runCli(['ledger', '--db', dbPath, '--json'], out.io)).toBe(0);
    const cli = JSON.parse(out.out.join('\n'));
    expect(cli.blocks[0]).toMatchObject({ unit: 'Token', purchasedMicros: 100_000 * TOKEN, consumedMicros: 615 * TOKEN });
  });

  it('c: the renewal (25,000 Token) and overage (1,500 Token) purchases join the ledger; day one still draws 615 Token', async () => {
    const e = createEngine({ dbPath: tempDbPath(), mode: 'test' });
    engines.push(e);
    for (const f of ['a1', 'a2', 'c']) await importFile(e, saas(`virtual_currency_pricing_model_${f}.csv`));
    const l = await e.invoke('ledger-get', {});
    const tokens = l.blocks.filter((b) => b.unit === 'Token');
    expect(tokens.map((b) => [b.purchasedMicros / TOKEN, b.purchasedOn, b.expiresOn]).sort((x, y) => (y[0] as number) - (x[0] as number))).toEqual([
      [100_000, '2025-04-01', '2026-04-01'],
      [25_000, '2025-10-01', '2026-04-01'],
      [1_500, '2025-04-01', '2025-10-01'],
    ]);
    // the drawdown order takes day one's 615 Token from the soonest-expiring block, the overage purchase
    expect(tokens.reduce((s, b) => s + b.consumedMicros, 0)).toBe(615 * TOKEN);
    expect(tokens.find((b) => b.purchasedMicros === 1_500 * TOKEN)!.consumedMicros).toBe(615 * TOKEN);
    for (const b of tokens) expect(b.consumedMicros + b.remainingMicros + b.expiredMicros).toBe(b.purchasedMicros);
  });
});
