import type { Db } from './db/open';
import type { AppInfo } from '../../shared/domain';
import { createSettingsRepo } from './repos/settings';
import { createProfilesRepo } from './repos/profiles';
import { createAuditRepo } from './repos/audit';
import type { Jobs } from './jobs';
import { createFileRegistry, type FileRegistry } from './files';

/** What every handler gets: the database, its repositories, the clock and the signed-in profile. */
export interface EngineContext {
  db: Db;
  dbPath: string;
  mode: AppInfo['mode'];
  version: string;
  jobs: Jobs;
  files: FileRegistry;
  /** ISO instant, UTC */
  now(): string;
  settings: ReturnType<typeof createSettingsRepo>;
  profiles: ReturnType<typeof createProfilesRepo>;
  audit: ReturnType<typeof createAuditRepo>;
  /** the signed-in profile's name, or "system" when none is selected */
  actor(): string;
  currentProfileId(): number | null;
}

export function createContext(db: Db, dbPath: string, mode: AppInfo['mode'], version: string, jobs: Jobs, clock: () => Date): EngineContext {
  const now = () => clock().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const settings = createSettingsRepo(db);
  const profiles = createProfilesRepo(db);
  const currentProfileId = () => {
    const v = settings.get('current_profile');
    return v ? Number(v) : null;
  };
  return {
    db,
    dbPath,
    mode,
    version,
    jobs,
    files: createFileRegistry(),
    now,
    settings,
    profiles,
    audit: createAuditRepo(db, now),
    currentProfileId,
    actor() {
      const id = currentProfileId();
      return (id != null && profiles.get(id)?.name) || 'system';
    },
  };
}
