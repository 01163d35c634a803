/**
 * The demo's credit blocks, allocations, top-up requests and value metrics. Block sizes are
 * chosen against the generated burn (about $105k OpenAI, $67k Anthropic, $49k AWS a year) so
 * the story holds whatever order the drawdown takes:
 * - OpenAI: the first purchase runs dry in early March; the balance is near zero when the
 *   leaked key surges on 2026-09-24 and auto-recharge buys $2,000 mid-incident.
 * - Anthropic: a promotional block granted 2026-09-01 expires 2026-12-15 with far more left
 *   than the whole org can burn before then.
 * - AWS: the Activate credits run dry at the start of February, and the prepaid blocks are
 *   used up in October, so the account ends the year in overage.
 */
import { LEAK, type DemoBlock } from './org';

export const BLOCKS: DemoBlock[] = [
  { account: 'openai', name: 'OpenAI prepaid 2025-11', kind: 'purchased', amountUsd: 22_500, costBasisUsd: 22_500, purchasedOn: '2025-11-20', expiresOn: '2026-11-20', priority: 2, sourceRef: 'OAI-INV-2025-1120' },
  { account: 'openai', name: 'OpenAI startup credits', kind: 'promotional', amountUsd: 2_500, costBasisUsd: 0, purchasedOn: '2025-11-25', expiresOn: '2026-02-28', priority: 1, sourceRef: 'OAI-PROMO-STARTUP' },
  { account: 'openai', name: 'OpenAI prepaid 2026-02', kind: 'purchased', amountUsd: 35_000, costBasisUsd: 35_000, purchasedOn: '2026-02-26', expiresOn: '2027-02-26', priority: 2, sourceRef: 'OAI-INV-2026-0226' },
  { account: 'openai', name: 'OpenAI prepaid 2026-06', kind: 'purchased', amountUsd: 26_500, costBasisUsd: 26_500, purchasedOn: '2026-06-29', expiresOn: '2027-06-29', priority: 2, sourceRef: 'OAI-INV-2026-0629' },
  { account: 'openai', name: `Auto-recharge ${LEAK.day}`, kind: 'purchased', amountUsd: 2_000, costBasisUsd: 2_000, purchasedOn: LEAK.day, expiresOn: '2027-09-24', priority: 2, sourceRef: 'OAI-AUTO-2026-0924' },
  { account: 'openai', name: 'OpenAI prepaid 2026-09', kind: 'purchased', amountUsd: 30_000, costBasisUsd: 30_000, purchasedOn: '2026-09-29', expiresOn: '2027-09-29', priority: 2, sourceRef: 'OAI-INV-2026-0929' },
  { account: 'anthropic', name: 'Anthropic prepaid 2025-11', kind: 'purchased', amountUsd: 20_000, costBasisUsd: 20_000, purchasedOn: '2025-11-18', expiresOn: '2026-11-18', priority: 2, sourceRef: 'ANT-INV-2025-1118' },
  {
    account: 'anthropic', name: 'Anthropic prepaid 2026-04', kind: 'purchased', amountUsd: 40_000, costBasisUsd: 40_000, purchasedOn: '2026-04-14', expiresOn: '2027-04-14', priority: 2, sourceRef: 'ANT-INV-2026-0414',
    allocations: [{ workload: 'review', percentBp: 4000 }, { workload: 'triage', percentBp: 3500 }],
  },
  {
    account: 'anthropic', name: 'Anthropic promotional credit 2026-09', kind: 'promotional', amountUsd: 36_000, costBasisUsd: 0, purchasedOn: '2026-09-01', expiresOn: '2026-12-15', priority: 1, sourceRef: 'ANT-PROMO-2026-09',
    allocations: [{ workload: 'trends', amountUsd: 10_000 }],
  },
  { account: 'aws', name: 'AWS Activate credits', kind: 'promotional', amountUsd: 8_000, costBasisUsd: 0, purchasedOn: '2025-11-03', expiresOn: '2027-11-03', priority: 1, sourceRef: 'AWS-ACTIVATE-7Q2K' },
  {
    account: 'aws', name: 'Bedrock prepay 2026-02 (private offer)', kind: 'purchased', amountUsd: 15_000, costBasisUsd: 14_250, purchasedOn: '2026-02-16', expiresOn: '2027-02-16', priority: 2, sourceRef: 'AWS-MP-OFFER-2026-02',
    allocations: [{ workload: 'soc', percentBp: 5000 }],
  },
  {
    account: 'aws', name: 'Bedrock prepay 2026-05', kind: 'purchased', amountUsd: 20_000, costBasisUsd: 20_000, purchasedOn: '2026-05-12', expiresOn: '2027-05-12', priority: 2, sourceRef: 'AWS-MP-OFFER-2026-05',
    allocations: [{ workload: 'soc', percentBp: 6000 }, { workload: 'ci', amountUsd: 4_000 }],
  },
];

/** The block that expires soon after DEMO_END with credit left on it. */
export const EXPIRING_BLOCK = 'Anthropic promotional credit 2026-09';

export interface DemoTopup {
  requester: string;
  account: 'openai' | 'anthropic' | 'aws';
  workload: string | null;
  amountUsd: number;
  reason: string;
  createdAt: string;
  decision?: { by: string; at: string; note: string; createdBlock: string };
}

export const TOPUPS: DemoTopup[] = [
  {
    requester: 'Omar Owner', account: 'openai', workload: 'reply', amountUsd: 30_000, createdAt: '2026-09-25T08:40:00Z',
    reason: `The pooled OpenAI org fell below $3,000 after the auto-recharge during ${LEAK.externalId}; Helpdesk Copilot needs runway through Q4.`,
    decision: { by: 'Sara Security', at: '2026-09-28T15:05:00Z', note: 'Approved after the leaked key was revoked and rotated.', createdBlock: 'OpenAI prepaid 2026-09' },
  },
  {
    requester: 'Priya Patel', account: 'aws', workload: 'ci', amountUsd: 25_000, createdAt: '2026-11-20T10:05:00Z',
    reason: 'The Bedrock prepaid credits ran out in October; CI Agent and SOC Assistant are drawing post-pay.',
  },
];

/** Monthly business value: units = requests in the month ÷ requestsPerUnit (agents make many calls per unit). */
export const VALUE_METRICS = [
  { workload: 'triage', metric: 'tickets_resolved', requestsPerUnit: 80, valuePerUnitMicros: 2_500_000 },
  { workload: 'docs', metric: 'documents_processed', requestsPerUnit: 40, valuePerUnitMicros: 50_000 },
  { workload: 'review', metric: 'pull_requests_reviewed', requestsPerUnit: 60, valuePerUnitMicros: 4_000_000 },
  { workload: 'soc', metric: 'alerts_triaged', requestsPerUnit: 20, valuePerUnitMicros: 2_000_000 },
] as const;
