import type { Db } from '../db/open';
import type { Profile, Role } from '../../../shared/domain';

export function createProfilesRepo(db: Db) {
  const all = db.prepare<[], Profile>('SELECT id, name, role FROM profiles ORDER BY name');
  const byId = db.prepare<[number], Profile>('SELECT id, name, role FROM profiles WHERE id = ?');
  const byName = db.prepare<[string], Profile>('SELECT id, name, role FROM profiles WHERE name = ?');
  const insert = db.prepare('INSERT INTO profiles (name, role, created_at) VALUES (?, ?, ?)');
  return {
    list: (): Profile[] => all.all(),
    get: (id: number): Profile | undefined => byId.get(id),
    byName: (name: string): Profile | undefined => byName.get(name),
    create(name: string, role: Role, at: string): Profile {
      const id = Number(insert.run(name, role, at).lastInsertRowid);
      return { id, name, role };
    },
  };
}
export type ProfilesRepo = ReturnType<typeof createProfilesRepo>;
