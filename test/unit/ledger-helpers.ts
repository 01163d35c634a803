import { createEngine, type Engine } from '../../electron/engine/engine';
import { tempDbPath } from '../helpers';

/** Helpers for the ledger, alerts, top-ups and posture tests: each test file gets its own demo database. */

export interface DemoEngine {
  engine: Engine;
  dbPath: string;
  /** signs in as the named demo profile and returns its id */
  signIn(name: string): Promise<number>;
  profileId(name: string): Promise<number>;
}

export async function demoEngine(clock?: () => Date): Promise<DemoEngine> {
  const dbPath = tempDbPath();
  const engine = createEngine({ dbPath, mode: 'test', clock });
  await engine.invoke('demo-load', {});
  const profileId = async (name: string) => {
    const p = (await engine.invoke('profiles-list', {})).profiles.find((x) => x.name === name);
    if (!p) throw new Error(`no profile ${name}`);
    return p.id;
  };
  return {
    engine,
    dbPath,
    profileId,
    async signIn(name) {
      const id = await profileId(name);
      await engine.invoke('profile-select', { id });
      return id;
    },
  };
}

export function emptyEngine(clock?: () => Date): { engine: Engine; dbPath: string } {
  const dbPath = tempDbPath();
  return { engine: createEngine({ dbPath, mode: 'test', clock }), dbPath };
}

/** Collects a CLI run's output for runCli. */
export function cliIo() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), env: {}, rendererDir: '/nonexistent' } };
}

export const USD = (n: number) => Math.round(n * 1_000_000);

/** The demo's clock: the day after its last usage day, so top-ups land after the history. */
export const DEMO_CLOCK = () => new Date('2026-11-25T09:00:00Z');
