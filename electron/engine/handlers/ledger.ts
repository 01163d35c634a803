import type { EngineContext } from '../context';
import type { HandlerImpls } from '../../../shared/api';
import type { ledgerApi } from '../../../shared/api/ledger';
import { createBlocksRepo } from '../repos/blocks';
import { toAccount, updateAccount, createBlock, updateBlock, retireBlock } from '../services/blocks';
import { ledgerBlocks, ledgerReport } from '../services/ledger-report';
import { burnView } from '../services/burn-view';
import { workloadTree, createWorkload, updateWorkload, listAllocations, setAllocation, deleteAllocation } from '../services/workloads';
import { listRules, createRule, updateRule, deleteRule, previewRules, applyRules } from '../services/rules';
import { evaluateAlerts, listAlerts, acknowledgeAlert, listThresholds, setThreshold, depletionReport } from '../services/alerts';
import { listTopups, requestTopup, decideTopup } from '../services/topups';
import { computePosture } from '../services/posture';

/** The credit ledger and its governance; each handler is a thin call into a service. */
export function ledgerHandlers(ctx: EngineContext): Pick<HandlerImpls, keyof typeof ledgerApi> {
  return {
    'accounts-list': () => createBlocksRepo(ctx.db).accounts().map(toAccount),
    'account-update': (a) => updateAccount(ctx, a),

    'blocks-list': ({ at }) => ledgerBlocks(ctx, at),
    'block-create': (a) => createBlock(ctx, a),
    'block-update': (a) => updateBlock(ctx, a),
    'block-retire': ({ id, reason }) => retireBlock(ctx, id, reason),
    'block-burn': (a) => burnView(ctx, a),

    'workloads-tree': ({ at }) => workloadTree(ctx, at),
    'workload-create': (a) => createWorkload(ctx, a),
    'workload-update': (a) => updateWorkload(ctx, a),

    'rules-list': () => listRules(ctx),
    'rule-create': (a) => createRule(ctx, a),
    'rule-update': (a) => updateRule(ctx, a),
    'rule-delete': ({ id }) => deleteRule(ctx, id),
    'rules-preview': (a) => previewRules(ctx, a),
    'rules-apply': () => applyRules(ctx),

    'allocations-list': (a) => listAllocations(ctx, a),
    'allocation-set': (a) => setAllocation(ctx, a),
    'allocation-delete': ({ id }) => deleteAllocation(ctx, id),

    'thresholds-list': () => listThresholds(ctx),
    'threshold-set': (a) => setThreshold(ctx, a),
    'alerts-evaluate': ({ at }) => evaluateAlerts(ctx, at),
    'alerts-list': ({ open }) => listAlerts(ctx, open),
    'alert-acknowledge': ({ id, note }) => acknowledgeAlert(ctx, id, note),
    'depletion-rules-report': ({ at }) => depletionReport(ctx, at),

    'topup-request': (a) => requestTopup(ctx, a),
    'topup-decide': (a) => decideTopup(ctx, a),
    'topups-list': ({ status }) => listTopups(ctx, status),

    'audit-list': ({ afterSeq, limit }) => ctx.audit.list(afterSeq, limit),
    'audit-verify': () => ctx.audit.verify(),

    'posture-get': ({ at }) => computePosture(ctx, at),
    'ledger-get': ({ at }) => ledgerReport(ctx, at),
  };
}
