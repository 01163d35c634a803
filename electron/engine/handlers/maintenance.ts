import type { EngineContext } from '../context';
import type { HandlerImpls } from '../../../shared/api';
import type { maintenanceApi, DbInfo } from '../../../shared/api/maintenance';
import { backupsDir, fileSize, latestBackup, openCheck, openDatabase, schemaVersion } from '../db/open';
import { SCHEMA_VERSION } from '../db/migrations';
import { RefusedError } from '../errors';
import { quickCheck, readCounts } from '../repos/maintenance';
import { auditSoon, backupDatabase, checkBackupTarget, defaultBackupPath, rebindContext } from '../services/backup';
import { restoreDatabase } from '../services/restore';

type MaintenanceHandlers = Pick<HandlerImpls, keyof typeof maintenanceApi>;

function info(ctx: EngineContext, check: boolean): DbInfo {
  const memory = ctx.dbPath === ':memory:';
  const skipped = !check && openCheck(ctx.db) === 'skipped';
  const result = check ? quickCheck(ctx.db) : skipped ? 'not checked since opening (a large database closed cleanly last time)' : 'ok';
  return {
    path: ctx.dbPath,
    bytes: memory ? Number(ctx.db.pragma('page_count', { simple: true })) * Number(ctx.db.pragma('page_size', { simple: true })) : fileSize(ctx.dbPath),
    walBytes: memory ? 0 : fileSize(`${ctx.dbPath}-wal`),
    schemaVersion: schemaVersion(ctx.db),
    knownSchemaVersion: SCHEMA_VERSION,
    // without a fresh check, the one the open ran stands (a file failing it is never opened), unless the open skipped it
    integrity: { ok: skipped ? null : result === 'ok', result, checked: check ? 'quick_check' : skipped ? 'not-checked' : 'at-open' },
    counts: readCounts(ctx.db),
    backupsDir: memory ? null : backupsDir(ctx.dbPath),
    latestBackup: latestBackup(ctx.dbPath),
  };
}

export function maintenanceHandlers(ctx: EngineContext): MaintenanceHandlers {
  let restoring = false;
  return {
    'db-backup': async ({ path: target }) => {
      // the browser mode's page must not choose where files are written on this machine
      if (target && ctx.mode === 'browser') throw new RefusedError('In the browser mode backups are written beside the database; use "drawdown backup --out FILE" to choose a place.');
      const dest = target ? checkBackupTarget(target) : defaultBackupPath(ctx.dbPath, ctx.now());
      const r = await backupDatabase(ctx.db, dest);
      auditSoon(ctx, 'db-backup', { path: r.path, bytes: r.bytes, pages: r.pages });
      return r;
    },
    'db-restore': async ({ fileRef }) => {
      const f = ctx.files.resolve(fileRef);
      // a second restore would still hold the connection the first one is about to close
      if (restoring) throw new RefusedError('A restore is already running; wait for it to finish.', 'conflict');
      restoring = true;
      try {
        const { db, result } = await restoreDatabase({ livePath: ctx.dbPath, from: f, liveDb: ctx.db, actor: ctx.actor(), now: ctx.now() });
        rebindContext(ctx, db);
        return result;
      } finally {
        restoring = false;
        // a failure after the swap closed the connection: go on with whatever is at the path now
        if (!ctx.db.open) rebindContext(ctx, openDatabase(ctx.dbPath, { create: false }));
      }
    },
    'db-info': ({ check }) => info(ctx, check ?? false),
  };
}
