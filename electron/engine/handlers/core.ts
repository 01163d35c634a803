import type { EngineContext } from '../context';
import type { HandlerImpls } from '../../../shared/api';
import type { coreApi } from '../../../shared/api/core';
import { schemaVersion } from '../db/open';
import { readStats } from '../repos/stats';
import { buildDashboard } from '../services/dashboard';
import { generateDemo } from '../demo/generate';
import { evaluateAlerts } from '../services/alerts';
import { RefusedError, NotFoundError } from '../errors';

type CoreHandlers = Pick<HandlerImpls, keyof typeof coreApi>;

export function coreHandlers(ctx: EngineContext): CoreHandlers {
  return {
    'app-info': () => ({
      version: ctx.version,
      schemaVersion: schemaVersion(ctx.db),
      dbPath: ctx.dbPath,
      mode: ctx.mode,
      empty: isEmpty(ctx),
    }),
    'stats-get': () => readStats(ctx.db),
    'dashboard-get': ({ at }) => buildDashboard(ctx, at),
    'demo-load': ({ seed }) => {
      if (!isEmpty(ctx)) throw new RefusedError('The demo organisation can only be loaded into an empty database. Open a new database file first.');
      const r = ctx.db.transaction(() => {
        const out = generateDemo(ctx.db, { seed });
        ctx.audit.append(ctx.actor(), 'demo-load', 'import', out.importId, { seed: seed ?? null, usageRows: out.usageRows });
        evaluateAlerts(ctx);
        return out;
      })();
      return { workloads: r.workloads, usageRows: r.usageRows };
    },
    'profiles-list': () => ({ profiles: ctx.profiles.list(), currentId: ctx.currentProfileId() }),
    'profile-create': ({ name, role }) => {
      if (ctx.profiles.byName(name)) throw new RefusedError(`A profile named "${name}" already exists.`, 'conflict');
      return ctx.db.transaction(() => {
        const p = ctx.profiles.create(name, role, ctx.now());
        ctx.audit.append(ctx.actor(), 'profile-create', 'profile', p.id, { name, role });
        return p;
      })();
    },
    'profile-select': ({ id }) => {
      const p = ctx.profiles.get(id);
      if (!p) throw new NotFoundError(`Profile ${id}`);
      ctx.db.transaction(() => {
        ctx.settings.set('current_profile', String(id));
        ctx.audit.append(p.name, 'profile-select', 'profile', id, {});
      })();
      return p;
    },
    'job-get': ({ id }) => ctx.jobs.get(id),
    'job-cancel': ({ id }) => ctx.jobs.cancel(id),
  };
}

function isEmpty(ctx: EngineContext): boolean {
  const row = ctx.db.prepare<[], { n: number }>('SELECT (SELECT count(*) FROM usage_records) + (SELECT count(*) FROM credit_blocks) AS n').get();
  return (row?.n ?? 0) === 0;
}
