import { createEngine } from '../../engine/engine';
import { resolveDbPath } from '../../engine/paths';
import { startServer } from '../../server/server';
import { DB_OPTION, type Command } from '../command';
import { formatMicros } from '../../../shared/money';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Serve the console in a browser on 127.0.0.1 with a per-launch token',
  usage: 'drawdown serve [--db PATH] [--port N]',
  options: { ...DB_OPTION, port: { type: 'string' } },
  async run(v, _p, io) {
    const dbPath = resolveDbPath(v.db as string | undefined, io.env);
    const engine = createEngine({ dbPath, mode: 'browser' });
    const port = v.port ? Number(v.port) : 0;
    const server = await startServer({ engine, staticDir: io.rendererDir, port, log: io.err });
    io.out(`Drawdown is running in browser mode.\n  Database: ${dbPath}\n  Open: ${server.url}\nPress Ctrl+C to stop.`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    engine.close();
    return 0;
  },
};

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Create the seeded demo organisation in a new database',
  usage: 'drawdown demo --db PATH [--seed N] [--json]',
  options: { ...DB_OPTION, seed: { type: 'string' }, json: { type: 'boolean' } },
  async run(v, _p, io) {
    const engine = createEngine({ dbPath: resolveDbPath(v.db as string | undefined, io.env), mode: 'cli' });
    try {
      const r = await engine.invoke('demo-load', { seed: v.seed ? Number(v.seed) : undefined });
      io.out(v.json ? JSON.stringify(r) : `Demo organisation created: ${r.workloads} workloads, ${r.usageRows} usage rows in ${engine.ctx.dbPath}`);
      return 0;
    } finally {
      engine.close();
    }
  },
};

export const statsCommand: Command = {
  name: 'stats',
  summary: 'Counts and exact billed-cost sums per provider, charge category and currency',
  usage: 'drawdown stats --db PATH [--json]',
  options: { ...DB_OPTION, json: { type: 'boolean' } },
  async run(v, _p, io) {
    const engine = createEngine({ dbPath: resolveDbPath(v.db as string | undefined, io.env), mode: 'cli' });
    try {
      const s = await engine.invoke('stats-get', {});
      if (v.json) {
        io.out(JSON.stringify(s, null, 2));
        return 0;
      }
      io.out(`usage rows ${s.usageRows}, accounts ${s.creditAccounts}, blocks ${s.creditBlocks}, workloads ${s.workloads}, incidents ${s.incidents}, imports ${s.imports}`);
      for (const g of s.groups) io.out(`${g.provider.padEnd(14)} ${g.chargeCategory.padEnd(11)} ${g.currency.padEnd(6)} ${String(g.rows).padStart(9)} rows  ${g.billedCost}`);
      for (const t of s.totals) io.out(`${'total'.padEnd(26)} ${t.currency.padEnd(6)} ${String(t.rows).padStart(9)} rows  ${t.billedCost} (stored: ${formatMicros(t.billedCostMicros)})`);
      return 0;
    } finally {
      engine.close();
    }
  },
};
