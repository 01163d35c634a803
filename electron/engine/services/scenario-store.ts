/**
 * Saved scenarios: named, editable, exported to and loaded from JSON. The body is the forecast's
 * Scenario (validated by its zod schema) stored as JSON; every change is in the audit log.
 */
import type { EngineContext } from '../context';
import { createScenariosRepo, type ScenarioRow } from '../repos/scenarios';
import { parseScenario, scenarioFromJson, scenarioToJson, type Lever, type Scenario } from '../../../shared/forecast/scenario';
import type { ScenarioEntry } from '../../../shared/api/scenario-types';
import { NotFoundError, RefusedError } from '../errors';

function toEntry(row: ScenarioRow): ScenarioEntry {
  const parsed = scenarioFromJson(row.bodyJson);
  // a body that no longer validates is listed with no levers rather than hiding the scenario
  return { id: row.id, name: row.name, description: row.description, levers: parsed.ok ? parsed.value.levers : [], createdAt: row.createdAt, updatedAt: row.updatedAt };
}

export function listScenarios(ctx: EngineContext): ScenarioEntry[] {
  return createScenariosRepo(ctx.db).list().map(toEntry);
}

/** Creates (no id) or replaces (id: rename, new description or levers) a scenario. */
export function saveScenario(ctx: EngineContext, a: { id?: number; name: string; description?: string; levers: Lever[] }): ScenarioEntry {
  const repo = createScenariosRepo(ctx.db);
  const checked = parseScenario({ version: 1, name: a.name, description: a.description ?? '', levers: a.levers });
  if (!checked.ok) throw new RefusedError(`The scenario is not valid: ${checked.error}`, 'invalid-argument', checked.issues);
  const s = checked.value;
  const clash = repo.byName(s.name);
  if (clash && clash.id !== a.id) throw new RefusedError(`A scenario named "${s.name}" already exists. Choose another name.`, 'conflict');
  return ctx.db.transaction(() => {
    const now = ctx.now();
    let id = a.id;
    if (id === undefined) id = repo.insert(s.name, s.description, scenarioToJson(s), now);
    else {
      const before = repo.get(id);
      if (!before) throw new NotFoundError(`Scenario ${id}`);
      repo.update(id, s.name, s.description, scenarioToJson(s), now);
      if (before.name !== s.name) ctx.audit.append(ctx.actor(), 'scenario-rename', 'scenario', id, { from: before.name, to: s.name });
    }
    ctx.audit.append(ctx.actor(), 'scenario-save', 'scenario', id, { name: s.name, levers: s.levers.map((l) => l.kind) });
    return toEntry(repo.get(id)!);
  }).immediate();
}

export function deleteScenario(ctx: EngineContext, id: number): { deleted: number } {
  const repo = createScenariosRepo(ctx.db);
  const row = repo.get(id);
  if (!row) throw new NotFoundError(`Scenario ${id}`);
  return ctx.db.transaction(() => {
    const deleted = repo.delete(id);
    ctx.audit.append(ctx.actor(), 'scenario-delete', 'scenario', id, { name: row.name });
    return { deleted };
  }).immediate();
}

export function exportScenario(ctx: EngineContext, id: number): { fileName: string; json: string } {
  const row = createScenariosRepo(ctx.db).get(id);
  if (!row) throw new NotFoundError(`Scenario ${id}`);
  const parsed = scenarioFromJson(row.bodyJson);
  if (!parsed.ok) throw new RefusedError(`Scenario "${row.name}" cannot be exported: ${parsed.error}`);
  const json = scenarioToJson({ ...parsed.value, name: row.name, description: row.description });
  const fileName = `${row.name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'scenario'}.scenario.json`;
  return { fileName, json };
}

/**
 * Loads a scenario from JSON text (a file the user picked): validated with a message per
 * problem; a name already taken gets " (imported)", " (imported 2)", … so nothing is overwritten.
 */
export function importScenario(ctx: EngineContext, json: string): ScenarioEntry {
  const parsed = scenarioFromJson(json);
  if (!parsed.ok) throw new RefusedError(`This file is not a Drawdown scenario: ${parsed.error}`, 'invalid-argument', parsed.issues);
  const s: Scenario = parsed.value;
  const repo = createScenariosRepo(ctx.db);
  let name = s.name;
  for (let n = 1; repo.byName(name); n++) name = `${s.name.slice(0, 180)} (imported${n > 1 ? ` ${n}` : ''})`;
  return ctx.db.transaction(() => {
    const entry = saveScenario(ctx, { name, description: s.description, levers: s.levers });
    ctx.audit.append(ctx.actor(), 'scenario-import', 'scenario', entry.id, { name, originalName: s.name });
    return entry;
  })();
}
