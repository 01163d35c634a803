import type { EngineContext } from '../context';
import type { Posture, PostureControl, ControlStatus } from '../../../shared/api/ledger-types';
import { createPostureRepo, type PostureRepo } from '../repos/posture';
import { createBlocksRepo } from '../repos/blocks';
import { createAlertsRepo } from '../repos/alerts';
import { computeLedger, type LedgerSnapshot } from './ledger';
import { workloadPath } from './ledger-report';
import { addDays, addMonths, monthOf } from '../../../shared/dates';
import { displayMoney } from '../../../shared/money';

/**
 * The controls posture, computed from the data rather than ticked by hand: each control of the
 * brief's "prepaid credits as a security control" with its status, the evidence, what is
 * missing, who owns the fix, and where it sits in NIST CSF 2.0, the OWASP NHI Top 10 (2025) and
 * the NIST AI RMF.
 */

/** Above this share of unattributed spend nobody can say which job caused a spike. */
const UNATTRIBUTED_FAIL = 0.1;
const UNATTRIBUTED_WARN = 0.02;
/** From this many workloads on one pool with no allocation, a pool is "shared by many". */
const MANY_WORKLOADS = 5;

interface Facts {
  ctx: EngineContext;
  repo: PostureRepo;
  asOf: string;
  snap: LedgerSnapshot;
  approvers: string;
  analysts: string;
}

export function computePosture(ctx: EngineContext, at?: string): Posture {
  const snap = computeLedger(ctx.db, at);
  const asOf = snap.asOf;
  if (!asOf) return { asOf: null, controls: [] };
  const repo = createPostureRepo(ctx.db);
  const names = (role: string, fallback: string) => repo.profileNames(role).join(' or ') || fallback;
  const f: Facts = { ctx, repo, asOf, snap, approvers: names('approver', 'an approver'), analysts: names('analyst', 'the FinOps analyst') };
  return {
    asOf,
    controls: [ownerOfRecord(f), thresholdsBeforeZero(f), depletionRules(f), topupSeparation(f), autoRecharge(f), creditModel(f), reconciled(f), pooledAccounts(f), unownedKeys(f)],
  };
}

function control(
  id: string,
  title: string,
  status: ControlStatus,
  evidence: string,
  missing: string[],
  fixOwner: string,
  frameworks: PostureControl['frameworks'],
): PostureControl {
  return { id, title, status, evidence, missing, fixOwner, frameworks };
}

function ownerOfRecord(f: Facts): PostureControl {
  const unowned = f.repo.unownedDrawing(addDays(f.asOf, -29));
  const drawing = f.repo.drawingWorkloads();
  const fixers = [...new Set(unowned.map((w) => w.siblingOwner).filter((n): n is string => !!n))];
  return control(
    'owner-of-record',
    'Every workload that draws credits has an owner of record',
    unowned.length === 0 ? 'pass' : 'fail',
    `${drawing - unowned.length} of ${drawing} drawing workloads name an owner.`,
    unowned.map((w) => `${workloadPath(w)} has no owner; it drew ${displayMoney(w.spendMicros)} in the last 30 days${w.apiKeys ? ` through ${w.apiKeys.split(',').join(', ')}` : ''}.`),
    fixers.length > 0 ? `${fixers.join(', ')} (owns the application) with ${f.approvers}` : f.approvers,
    { csf: ['GV.RR-02', 'ID.AM-02'], nhi: ['NHI1 Improper Offboarding'], aiRmf: ['GOVERN 2.1'] },
  );
}

function thresholdsBeforeZero(f: Facts): PostureControl {
  const thresholds = createAlertsRepo(f.ctx.db).thresholds().filter((t) => t.enabled === 1);
  // a percent value of 0 means the default levels 50/75/90/100, which include levels below 100
  const warns = (scope: 'block' | 'account', id: number) =>
    thresholds.some((t) => t.scopeKind === scope && t.scopeId === id && ((t.kind === 'percent-consumed' && t.value < 100) || t.kind === 'runway-days'));
  const snap = f.snap;
  const live = snap.blockRows.filter((_, i) => snap.result.blocks[i].remainingMicros > 0);
  const bare = live.filter((b) => !warns('block', b.id) && !warns('account', b.accountId));
  return control(
    'thresholds-before-zero',
    'Alerts fire before zero for every credit block',
    bare.length === 0 ? 'pass' : 'fail',
    `${live.length - bare.length} of ${live.length} blocks with credit left have a percent-consumed threshold below 100% or a runway threshold.`,
    bare.map((b) => `${b.name} (${b.accountName}) has no threshold that fires before it runs dry.`),
    f.analysts,
    { csf: ['DE.CM-09', 'DE.AE-02'], nhi: ['NHI2 Secret Leakage'], aiRmf: ['MEASURE 3.1'] },
  );
}

function depletionRules(f: Facts): PostureControl {
  const missing = f.repo.criticalWithoutStop();
  return control(
    'depletion-rules',
    'Critical workloads have a throttle or stop rule with a safety margin',
    missing.length === 0 ? 'pass' : 'warn',
    missing.length === 0 ? 'Every critical workload has a throttle or stop rule.' : `${missing.length} critical workload${missing.length === 1 ? '' : 's'} rely on alerts alone.`,
    missing.map((w) => `${workloadPath({ ...w, environment: 'production' })} is critical and has no throttle or stop rule; providers enforce late, so set one with a safety margin.`),
    [...new Set(missing.map((w) => w.ownerName).filter((n): n is string => !!n))].join(', ') || f.analysts,
    { csf: ['RS.MI-01'], nhi: ['NHI2 Secret Leakage'], aiRmf: ['MANAGE 2.4'] },
  );
}

function topupSeparation(f: Facts): PostureControl {
  const decided = f.repo.decidedTopups();
  const bad = decided.filter((t) => t.decidedBy === t.requesterId || t.role !== 'approver');
  const orphan = f.repo.unapprovedTopupBlocks();
  return control(
    'topup-separation',
    'Top-ups and renewals are approved by someone other than the requester',
    bad.length + orphan.length === 0 ? 'pass' : 'fail',
    `${decided.length - bad.length} of ${decided.length} decided requests were decided by an approver other than the requester; every decision is in the hash-chained audit log.`,
    [
      ...bad.map((t) => `Request ${t.id} by ${t.requester} was decided by ${t.decider} (${t.decidedBy === t.requesterId ? 'the requester' : t.role}).`),
      ...orphan.map((b) => `${b.name} is a top-up block with no approved request behind it.`),
    ],
    f.approvers,
    { csf: ['PR.AA-05', 'GV.RR-02'], nhi: [], aiRmf: ['GOVERN 1.4'] },
  );
}

function autoRecharge(f: Facts): PostureControl {
  const during = f.repo.rechargeDuringIncident();
  const on = createBlocksRepo(f.ctx.db).accounts().filter((a) => a.autoRecharge === 1);
  return control(
    'auto-recharge',
    'Auto-recharge cannot turn a stolen key into an unbounded bill',
    during.length > 0 ? 'fail' : on.length > 0 ? 'warn' : 'pass',
    on.length === 0 ? 'No account recharges itself.' : `Auto-recharge is on for ${on.map((a) => a.name).join(', ')}.`,
    [
      ...during.map((d) => `${d.blockName} was bought on ${d.purchasedOn} during incident ${d.incident} on ${d.accountName}.`),
      ...on.map((a) => `Turn auto-recharge off on ${a.name}, or cap it with a top-up approval.`),
    ],
    f.approvers,
    { csf: ['GV.RM-01', 'DE.AE-02'], nhi: ['NHI2 Secret Leakage'], aiRmf: ['MANAGE 1.3'] },
  );
}

function creditModel(f: Facts): PostureControl {
  const accounts = createBlocksRepo(f.ctx.db).accounts();
  const noBudget = accounts.filter((a) => a.monthlyBudgetMicros === null);
  return control(
    'credit-model',
    'Each credit account has an agreed monthly budget (the prepaid or post-pay decision)',
    noBudget.length === 0 ? 'pass' : 'warn',
    `${accounts.length - noBudget.length} of ${accounts.length} accounts have a monthly budget agreed.`,
    noBudget.map((a) => `${a.name} has no monthly budget: agree one with finance and security.`),
    f.approvers,
    { csf: ['GV.RM-01'], nhi: [], aiRmf: ['GOVERN 1.3', 'MAP 3.2'] },
  );
}

function reconciled(f: Facts): PostureControl {
  const period = monthOf(addMonths(`${monthOf(f.asOf)}-01`, -1));
  const accounts = f.repo.accountsWithUsage(`${period}-01`, `${monthOf(f.asOf)}-01`);
  const signed = new Map(f.repo.signoffs(period).map((s) => [s.accountId, s]));
  const open = accounts.filter((a) => !signed.has(a.id));
  return control(
    'reconciled-last-period',
    `Consumption was reconciled for the last period (${period})`,
    accounts.length === 0 ? 'warn' : open.length === 0 ? 'pass' : 'fail',
    accounts.length === 0 ? `No account had usage in ${period}.` : `${accounts.length - open.length} of ${accounts.length} accounts with usage in ${period} are signed off.`,
    open.map((a) => `${a.name}: no reconciliation sign-off for ${period}.`),
    f.analysts,
    { csf: ['GV.OV-03', 'DE.CM-06'], nhi: [], aiRmf: ['MAP 3.1', 'MEASURE 3.1'] },
  );
}

function pooledAccounts(f: Facts): PostureControl {
  const pooled = createBlocksRepo(f.ctx.db).accounts().filter((a) => a.pooled === 1 && a.spendMicros > 0);
  const allocated = new Set(f.snap.result.allocations.map((a) => a.blockId));
  const blocks = f.snap.blockRows;
  const findings = pooled.map((a) => {
    const share = a.unattributedMicros / a.spendMicros;
    const unallocated = !blocks.some((b) => b.accountId === a.id && allocated.has(b.id));
    const status: ControlStatus = share > UNATTRIBUTED_FAIL ? 'fail' : share > UNATTRIBUTED_WARN || (unallocated && a.workloads >= MANY_WORKLOADS) ? 'warn' : 'pass';
    const text = `${a.name}: ${(share * 100).toFixed(1)}% of spend (${displayMoney(a.unattributedMicros, a.currency)}) matches no attribution rule; ${a.workloads} workloads share the pool${unallocated ? ' with no allocation' : ''}.`;
    return { status, text };
  });
  const worst: ControlStatus = findings.some((x) => x.status === 'fail') ? 'fail' : findings.some((x) => x.status === 'warn') ? 'warn' : 'pass';
  return control(
    'pooled-attribution',
    'Spend on pooled accounts is attributed to workloads',
    worst,
    pooled.length === 0 ? 'No pooled credit account has spend.' : `${pooled.length} pooled account${pooled.length === 1 ? '' : 's'} checked.`,
    findings.filter((x) => x.status !== 'pass').map((x) => x.text),
    f.analysts,
    { csf: ['ID.AM-02', 'DE.CM-09'], nhi: ['NHI9 NHI Reuse', 'NHI5 Overprivileged NHI'], aiRmf: ['MAP 3.2'] },
  );
}

function unownedKeys(f: Facts): PostureControl {
  const keys = f.repo.unattributedKeys(addDays(f.asOf, -29));
  return control(
    'unowned-keys',
    'No API key draws credits without a workload and owner',
    keys.length === 0 ? 'pass' : 'warn',
    keys.length === 0 ? 'Every key that drew credits in the last 30 days maps to a workload.' : `${keys.length} key${keys.length === 1 ? '' : 's'} drew credits in the last 30 days with no workload behind them.`,
    keys.map((k) => `${k.apiKey} on ${k.accountName} drew ${displayMoney(k.micros)}: add an attribution rule or revoke the key.`),
    f.analysts,
    { csf: ['PR.AA-01', 'ID.AM-02'], nhi: ['NHI1 Improper Offboarding', 'NHI3 Vulnerable Third-Party NHI', 'NHI7 Long-Lived Secrets'], aiRmf: ['GOVERN 6.1'] },
  );
}
