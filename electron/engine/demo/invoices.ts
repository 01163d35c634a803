/**
 * The demo's invoices, made from its own blocks and usage so that reconciliation mostly
 * matches and the variances left are the ones a FinOps analyst meets in practice:
 * - a monthly usage statement per account for every closed month, one usage line per model,
 *   each line the month's billed usage of that model to the micro-unit; the current month
 *   (DEMO_END's) is not invoiced yet, so its usage shows as not covered by any invoice;
 * - a purchase invoice per purchased block (numbered by the block's source reference) for
 *   what was paid: its cost basis, which for the AWS private offer is 5 % below the credits
 *   recorded; promotional blocks are grants with no purchase behind them;
 * - a credit note from OpenAI refunding the attacker's gpt-4o usage on the leaked key during
 *   INC-2026-0412, against the day of the incident.
 * The Anthropic support workspace's cache writes billed above the catalog price (usage.ts)
 * remain the billed-vs-catalog variance. Pure: no database, no clock.
 */
import type { ChargeCategory } from '../../../shared/domain';
import { addDays, addMonths } from '../../../shared/dates';
import { MICROS } from '../../../shared/money';
import { BLOCKS } from './credits';
import { ACCOUNTS, DEMO_END, LEAK, type AccountKey } from './org';
import type { DemoUsageRow } from './usage';

export interface DemoInvoiceLine {
  category: ChargeCategory;
  description: string;
  amountMicros: number;
  quantityText: string | null;
  /** the credit block a purchase line bought, by name */
  block: string | null;
}

export interface DemoInvoice {
  account: AccountKey;
  number: string;
  issuer: string;
  issuedOn: string;
  periodStart: string | null;
  periodEnd: string | null;
  dueOn: string;
  lines: DemoInvoiceLine[];
}

const ISSUER: Record<AccountKey, { name: string; prefix: string; issueDay: number }> = {
  openai: { name: 'OpenAI, L.L.C.', prefix: 'OAI-USG', issueDay: 1 },
  anthropic: { name: 'Anthropic, PBC', prefix: 'ANT-USG', issueDay: 1 },
  aws: { name: 'Amazon Web Services, Inc.', prefix: 'AWS-BILL', issueDay: 3 },
};

/** The credit note for the leaked key's fraudulent usage. */
const LEAK_CREDIT_NOTE = { number: 'OAI-CN-2026-1009', issuedOn: '2026-10-09' } as const;

/** Whether a usage row is the attacker's: the leaked key on gpt-4o on the incident's day. */
const isLeakAttack = (r: Pick<DemoUsageRow, 'apiKey' | 'modelId' | 'day'>): boolean =>
  r.apiKey === LEAK.apiKey && r.modelId === LEAK.attackModel && r.day === LEAK.day;

const sumBy = <T>(xs: T[], f: (x: T) => number): number => xs.reduce((a, x) => a + f(x), 0);

/** Usage statements for every month before DEMO_END's, by account and month, lines per model. */
function statements(rows: DemoUsageRow[]): DemoInvoice[] {
  const open = DEMO_END.slice(0, 7);
  const groups = new Map<string, DemoUsageRow[]>();
  for (const r of rows) {
    const month = r.day.slice(0, 7);
    if (month >= open) continue;
    const k = `${r.account}|${month}`;
    const list = groups.get(k) ?? [];
    list.push(r);
    groups.set(k, list);
  }
  const out: DemoInvoice[] = [];
  for (const [k, list] of groups) {
    const [account, month] = k.split('|') as [AccountKey, string];
    const issuer = ISSUER[account];
    const start = `${month}-01`;
    const next = addMonths(start, 1);
    const issuedOn = `${next.slice(0, 8)}${String(issuer.issueDay).padStart(2, '0')}`;
    const models = [...new Set(list.map((r) => r.modelRaw))].sort();
    out.push({
      account, number: `${issuer.prefix}-${month}`, issuer: issuer.name, issuedOn, periodStart: start, periodEnd: addDays(next, -1), dueOn: addDays(issuedOn, 30),
      lines: models.map((model) => {
        const of = list.filter((r) => r.modelRaw === model);
        const tokens = sumBy(of, (r) => r.inputTokens + r.outputTokens + r.cacheReadTokens + r.cacheWriteTokens);
        const service = ACCOUNTS.find((a) => a.key === account)!.serviceName;
        return { category: 'usage', description: `${service} — ${model}`, amountMicros: sumBy(of, (r) => r.billedMicros), quantityText: `${tokens} tokens`, block: null };
      }),
    });
  }
  return out;
}

/** One purchase invoice per purchased block, for its cost basis, issued on the purchase day. */
function purchases(): DemoInvoice[] {
  return BLOCKS.filter((b) => b.kind === 'purchased').map((b) => ({
    account: b.account, number: b.sourceRef, issuer: ISSUER[b.account].name, issuedOn: b.purchasedOn, periodStart: null, periodEnd: null, dueOn: b.purchasedOn,
    lines: [{ category: 'purchase', description: b.name, amountMicros: b.costBasisUsd * MICROS, quantityText: `${b.amountUsd} USD of credits`, block: b.name }],
  }));
}

function leakCredit(rows: DemoUsageRow[]): DemoInvoice {
  const amount = sumBy(rows.filter(isLeakAttack), (r) => r.billedMicros);
  return {
    account: 'openai', number: LEAK_CREDIT_NOTE.number, issuer: ISSUER.openai.name, issuedOn: LEAK_CREDIT_NOTE.issuedOn, periodStart: LEAK.day, periodEnd: LEAK.day, dueOn: LEAK_CREDIT_NOTE.issuedOn,
    lines: [{ category: 'credit', description: `Credit for unauthorised ${LEAK.attackModel} usage on ${LEAK.apiKey} (${LEAK.externalId})`, amountMicros: -amount, quantityText: null, block: null }],
  };
}

/** All demo invoices in the order they were issued. */
export function demoInvoices(rows: DemoUsageRow[]): DemoInvoice[] {
  return [...statements(rows), ...purchases(), leakCredit(rows)].sort((a, b) => a.issuedOn.localeCompare(b.issuedOn) || a.number.localeCompare(b.number));
}
