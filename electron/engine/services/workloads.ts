import type { EngineContext } from '../context';
import type { WorkloadRow, WorkloadTree, Allocation } from '../../../shared/api/ledger-types';
import { createWorkloadsRepo, type StoredWorkload } from '../repos/workloads';
import { createAllocationsRepo, effectiveAllocation } from '../repos/allocations';
import { createBlocksRepo } from '../repos/blocks';
import { computeLedger } from './ledger';
import { workloadPath } from './ledger-report';
import { parseTags } from '../../../shared/attribution';
import { NotFoundError, RefusedError } from '../errors';
import { displayMoney } from '../../../shared/money';

/** Workloads (department › application › agent, owner of record) and their allocations. */

export interface WorkloadInput {
  department: string;
  application: string;
  agent?: string | null;
  environment?: string;
  ownerName?: string | null;
  ownerContact?: string | null;
  critical?: boolean;
  tags?: Record<string, string>;
}

export function workloadTree(ctx: EngineContext, at?: string): WorkloadTree {
  const snap = computeLedger(ctx.db, at);
  const ledger = new Map(snap.result.workloads.map((w) => [w.workloadId, w]));
  const workloads: WorkloadRow[] = createWorkloadsRepo(ctx.db)
    .list()
    .map((w) => toRow(w, ledger.get(w.id)));
  const departments: WorkloadTree['departments'] = [];
  for (const w of workloads) {
    let d = departments.find((x) => x.name === w.department);
    if (!d) departments.push((d = { name: w.department, applications: [] }));
    let a = d.applications.find((x) => x.name === w.application);
    if (!a) d.applications.push((a = { name: w.application, workloads: [] }));
    a.workloads.push(w);
  }
  return { departments, workloads };
}

function toRow(w: StoredWorkload, l?: { consumedMicros: number; allocatedMicros: number; allocationLeftMicros: number }): WorkloadRow {
  return {
    id: w.id,
    department: w.department,
    application: w.application,
    agent: w.agent,
    environment: w.environment,
    ownerName: w.ownerName,
    ownerContact: w.ownerContact,
    critical: w.critical === 1,
    tags: parseTags(w.tagsJson) ?? {},
    retired: w.retiredAt !== null,
    consumedMicros: l?.consumedMicros ?? 0,
    allocatedMicros: l?.allocatedMicros ?? 0,
    allocationLeftMicros: l?.allocationLeftMicros ?? 0,
    rules: w.rules,
  };
}

function rowById(ctx: EngineContext, id: number): WorkloadRow {
  const w = workloadTree(ctx).workloads.find((x) => x.id === id);
  if (!w) throw new NotFoundError(`Workload ${id}`);
  return w;
}

function refuseClash(ctx: EngineContext, w: { department: string; application: string; agent: string | null; environment: string }, exceptId = 0): void {
  if (createWorkloadsRepo(ctx.db).clash(w.department, w.application, w.agent, w.environment, exceptId)) {
    throw new RefusedError(`The workload ${workloadPath(w)} already exists.`, 'conflict');
  }
}

export function createWorkload(ctx: EngineContext, input: WorkloadInput): WorkloadRow {
  const w = {
    department: input.department,
    application: input.application,
    agent: input.agent ?? null,
    environment: input.environment ?? 'production',
    ownerName: input.ownerName ?? null,
    ownerContact: input.ownerContact ?? null,
    critical: input.critical ? 1 : 0,
    tagsJson: JSON.stringify(input.tags ?? {}),
  };
  refuseClash(ctx, w);
  const id = ctx.db.transaction(() => {
    const newId = createWorkloadsRepo(ctx.db).insert(w, ctx.now());
    ctx.audit.append(ctx.actor(), 'workload-create', 'workload', newId, { ...input, path: workloadPath(w) });
    return newId;
  })();
  return rowById(ctx, id);
}

export function updateWorkload(ctx: EngineContext, args: Partial<WorkloadInput> & { id: number; retired?: boolean }): WorkloadRow {
  const repo = createWorkloadsRepo(ctx.db);
  const before = repo.get(args.id);
  if (!before) throw new NotFoundError(`Workload ${args.id}`);
  const next = {
    id: before.id,
    department: args.department ?? before.department,
    application: args.application ?? before.application,
    agent: args.agent === undefined ? before.agent : args.agent,
    environment: args.environment ?? before.environment,
    ownerName: args.ownerName === undefined ? before.ownerName : args.ownerName,
    ownerContact: args.ownerContact === undefined ? before.ownerContact : args.ownerContact,
    critical: args.critical === undefined ? before.critical : Number(args.critical),
    tagsJson: args.tags === undefined ? before.tagsJson : JSON.stringify(args.tags),
    retiredAt: args.retired === undefined ? before.retiredAt : args.retired ? before.retiredAt ?? ctx.now() : null,
  };
  refuseClash(ctx, next, args.id);
  ctx.db.transaction(() => {
    repo.update(next);
    const { id: _id, ...change } = args;
    ctx.audit.append(ctx.actor(), 'workload-update', 'workload', args.id, { path: workloadPath(next), change });
  })();
  return rowById(ctx, args.id);
}

export function listAllocations(ctx: EngineContext, filter: { blockId?: number; workloadId?: number } = {}): Allocation[] {
  const snap = computeLedger(ctx.db);
  const left = new Map(snap.result.allocations.map((a) => [`${a.blockId}:${a.workloadId}`, a.leftMicros]));
  const paths = new Map(createWorkloadsRepo(ctx.db).list().map((w) => [w.id, workloadPath(w)]));
  return createAllocationsRepo(ctx.db)
    .list()
    .filter((a) => (filter.blockId === undefined || a.blockId === filter.blockId) && (filter.workloadId === undefined || a.workloadId === filter.workloadId))
    .map((a) => ({
      id: a.id,
      blockId: a.blockId,
      blockName: a.blockName,
      unit: a.unit,
      workloadId: a.workloadId,
      workloadPath: paths.get(a.workloadId) ?? `workload #${a.workloadId}`,
      amountMicros: a.amountMicros,
      percentBp: a.percentBp,
      effectiveMicros: effectiveAllocation(a),
      leftMicros: left.get(`${a.blockId}:${a.workloadId}`) ?? 0,
    }));
}

export function setAllocation(ctx: EngineContext, args: { blockId: number; workloadId: number; amountMicros?: number; percentBp?: number }): Allocation {
  const block = createBlocksRepo(ctx.db).block(args.blockId);
  if (!block || block.retiredAt) throw new NotFoundError(`Credit block ${args.blockId}`);
  if (!createWorkloadsRepo(ctx.db).get(args.workloadId)) throw new NotFoundError(`Workload ${args.workloadId}`);
  const repo = createAllocationsRepo(ctx.db);
  const others = repo.list().filter((a) => a.blockId === args.blockId && a.workloadId !== args.workloadId);
  const want = args.amountMicros ?? Math.floor((block.amountMicros * (args.percentBp ?? 0)) / 10_000);
  const taken = others.reduce((s, a) => s + effectiveAllocation(a), 0);
  if (taken + want > block.amountMicros) {
    throw new RefusedError(`${block.name} cannot hold this allocation: other workloads already have ${displayMoney(taken, block.unit)} of its ${displayMoney(block.amountMicros, block.unit)}.`);
  }
  ctx.db.transaction(() => {
    repo.set({ blockId: args.blockId, workloadId: args.workloadId, amountMicros: args.amountMicros ?? null, percentBp: args.percentBp ?? null }, ctx.now());
    ctx.audit.append(ctx.actor(), 'allocation-set', 'allocation', `${args.blockId}:${args.workloadId}`, args);
  })();
  const saved = repo.byPair(args.blockId, args.workloadId)!;
  return listAllocations(ctx).find((a) => a.id === saved.id)!;
}

export function deleteAllocation(ctx: EngineContext, id: number): { id: number } {
  const repo = createAllocationsRepo(ctx.db);
  const a = repo.get(id);
  if (!a) throw new NotFoundError(`Allocation ${id}`);
  ctx.db.transaction(() => {
    repo.delete(id);
    ctx.audit.append(ctx.actor(), 'allocation-delete', 'allocation', id, { blockId: a.blockId, workloadId: a.workloadId, amountMicros: a.amountMicros, percentBp: a.percentBp });
  })();
  return { id };
}
