/**
 * The process the fault runner kills: runs one operation on a database and prints "start" just
 * before it begins and "done" when it has finished, so the runner can aim its SIGKILL.
 *
 *   child.cjs import  DB CSV WORKER   an import in its worker thread (atomic per file)
 *   child.cjs migrate DB              openDatabase; bundled with the long test migrations (child-migrate.cjs)
 *   child.cjs backup  DB TARGET       the online backup API into TARGET (temp file, then rename)
 *   child.cjs undo    DB IMPORT_ID    undo of a big import (one transaction)
 *   child.cjs restore DB BACKUP       restore: stage, save the current database, swap, reopen
 */
import { openDatabase } from '../../electron/engine/db/open';
import { runImportJob } from '../../electron/engine/import/run';
import { createImportsRepo } from '../../electron/engine/repos/imports';
import { createAuditRepo } from '../../electron/engine/repos/audit';
import { backupDatabase } from '../../electron/engine/services/backup';
import { restoreDatabase } from '../../electron/engine/services/restore';

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
const say = (line: string) => process.stdout.write(line + '\n');

async function run(op: string, db: string, arg: string, arg2: string): Promise<string> {
  if (op === 'migrate') {
    say('start');
    openDatabase(db).close();
    return 'migrated';
  }
  if (op === 'import') {
    say('start');
    const r = await runImportJob({ dbPath: db, file: { path: arg, name: 'fault.csv' }, actor: 'faults', workerFile: arg2 }, { signal: new AbortController().signal, progress: () => {} });
    return r.status;
  }
  const conn = openDatabase(db);
  try {
    if (op === 'backup') {
      say('start');
      return `${(await backupDatabase(conn, arg)).pages} pages`;
    }
    if (op === 'undo') {
      say('start');
      return `${createImportsRepo(conn).undo(Number(arg), 'faults', createAuditRepo(conn, now), now()).removed.usageRecords} rows removed`;
    }
    if (op === 'restore') {
      say('start');
      const r = await restoreDatabase({ livePath: db, from: { path: arg, name: 'backup.db' }, liveDb: conn, actor: 'faults', now: now() });
      r.db.close();
      return `${r.result.counts.usageRecords} rows`;
    }
  } finally {
    if (conn.open) conn.close();
  }
  throw new Error(`unknown operation ${op}`);
}

const [op, db, arg = '', arg2 = ''] = process.argv.slice(2);
run(op, db, arg, arg2).then(
  (what) => say(`done ${what}`),
  (e: unknown) => {
    process.stderr.write(`error ${(e as Error).message}\n`);
    process.exitCode = 1;
  },
);
