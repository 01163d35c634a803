/**
 * The scale benchmark's organisation as data: credit accounts, departments › applications ›
 * agents (200 workloads with owners), API keys (2,000: nine per workload plus unattributed pool
 * keys), the models each account bills, and the incidents with the spikes that go with them.
 * Deterministic: everything comes from one mulberry32 seed; nothing reads the clock.
 */
import { mulberry32, type Rng } from '../electron/engine/demo/prng';
import { addDays } from '../shared/dates';

/** Last usage day (inclusive) and the length of the history. */
export const END = '2026-06-30';
export const DAYS = 730;
export const START = addDays(END, -(DAYS - 1));
export const CREATED_AT = `${END}T23:59:59Z`;

export interface ScaleModel {
  id: string;
  raw: string;
  /** micros of USD per million tokens */
  input: number;
  output: number;
  cacheRead: number;
}

export interface ScaleAccount {
  key: string;
  provider: string;
  externalId: string;
  name: string;
  pooled: boolean;
  autoRecharge: boolean;
  serviceName: string;
  /** hourly exports (OpenAI, Anthropic, Azure) or daily (Bedrock, Vertex) */
  hourly: boolean;
  /** share of the workloads (and of the spend) on this account */
  share: number;
  models: ScaleModel[];
  region: string | null;
}

const m = (id: string, raw: string, input: number, output: number, cacheRead: number): ScaleModel => ({ id, raw, input, output, cacheRead });

export const ACCOUNTS: ScaleAccount[] = [
  {
    key: 'openai', provider: 'openai', externalId: 'org-ScaleBenchPooledProd0001', name: 'OpenAI — pooled production org', pooled: true, autoRecharge: true,
    serviceName: 'OpenAI API', hourly: true, share: 0.34, region: null,
    models: [m('gpt-4o', 'gpt-4o-2024-08-06', 2_500_000, 10_000_000, 1_250_000), m('gpt-4o-mini', 'gpt-4o-mini-2024-07-18', 150_000, 600_000, 75_000), m('gpt-4.1', 'gpt-4.1-2025-04-14', 2_000_000, 8_000_000, 500_000), m('o4-mini', 'o4-mini-2025-04-16', 1_100_000, 4_400_000, 275_000)],
  },
  {
    key: 'anthropic', provider: 'anthropic', externalId: '5b0e7c1a-2f44-4c8e-9a51-benchscale001', name: 'Anthropic — Claude org', pooled: false, autoRecharge: false,
    serviceName: 'Claude API', hourly: true, share: 0.3, region: null,
    models: [m('claude-sonnet-4-5', 'claude-sonnet-4-5-20250929', 3_000_000, 15_000_000, 300_000), m('claude-haiku-4-5', 'claude-haiku-4-5-20251001', 1_000_000, 5_000_000, 100_000), m('claude-opus-4-1', 'claude-opus-4-1-20250805', 15_000_000, 75_000_000, 1_500_000)],
  },
  {
    key: 'aws', provider: 'aws', externalId: '123456789012', name: 'AWS — Bedrock payer account', pooled: false, autoRecharge: false,
    serviceName: 'Amazon Bedrock', hourly: false, share: 0.16, region: 'us-east-1',
    models: [m('claude-sonnet-4-5', 'anthropic.claude-sonnet-4-5-20250929-v1:0', 3_000_000, 15_000_000, 300_000), m('claude-haiku-4-5', 'anthropic.claude-haiku-4-5-20251001-v1:0', 1_000_000, 5_000_000, 100_000)],
  },
  {
    key: 'azure', provider: 'azure', externalId: 'azsub-4d1f-benchscale', name: 'Azure OpenAI — EMEA subscription', pooled: false, autoRecharge: false,
    serviceName: 'Azure OpenAI', hourly: true, share: 0.1, region: 'westeurope',
    models: [m('gpt-4o', 'gpt-4o', 2_500_000, 10_000_000, 1_250_000), m('gpt-4o-mini', 'gpt-4o-mini', 150_000, 600_000, 75_000)],
  },
  {
    key: 'vertex', provider: 'gcp', externalId: '01ABCD-234EFG-56HIJK', name: 'Google Cloud — Vertex AI billing', pooled: false, autoRecharge: false,
    serviceName: 'Vertex AI', hourly: false, share: 0.1, region: 'europe-west4',
    models: [m('gemini-2.5-pro', 'gemini-2.5-pro', 1_250_000, 10_000_000, 310_000), m('gemini-2.5-flash', 'gemini-2.5-flash', 300_000, 2_500_000, 75_000)],
  },
];

export const DEPARTMENTS = ['Support', 'Marketing', 'Engineering', 'Security', 'Finance', 'Sales', 'Legal', 'People', 'Data', 'Operations'];
const APPS = ['Copilot', 'Triage', 'Search', 'Summariser', 'Assistant'];
const AGENTS = ['planner', 'retriever', 'writer', 'reviewer'];
const FIRST = ['Ada', 'Omar', 'Priya', 'Felix', 'Sara', 'Lee', 'Noor', 'Jonas', 'Mei', 'Tomas', 'Ines', 'Kofi', 'Yara', 'Ravi', 'Elin', 'Hugo'];
const LAST = ['Analyst', 'Owner', 'Patel', 'Finance', 'Security', 'Chen', 'Haddad', 'Berg', 'Wong', 'Novak', 'Silva', 'Mensah', 'Aziz', 'Rao', 'Lund', 'Moreau'];

export interface ScaleWorkload {
  /** 1-based; equals the row id the loader inserts */
  id: number;
  department: string;
  application: string;
  agent: string | null;
  environment: string;
  owner: string | null;
  critical: boolean;
  account: number;
  project: string;
  /** relative spend weight */
  weight: number;
  /** models this workload uses (indexes into its account's models) */
  models: number[];
}

export interface ScaleKey {
  key: string;
  account: number;
  /** null: a pool key no rule attributes */
  workload: number | null;
  weight: number;
  project: string;
  user: string;
}

export interface ScaleOrg {
  workloads: ScaleWorkload[];
  keys: ScaleKey[];
  /** the workload whose model moves from a cheap to an expensive one (a level shift) */
  swap: { workload: number; on: string; from: number; to: number };
  incidents: ScaleIncident[];
}

export interface ScaleIncident {
  externalId: string;
  title: string;
  type: string;
  severity: string;
  startedAt: string;
  detectedAt: string;
  resolvedAt: string;
  /** the key that burns (the spike); null: no spend impact */
  key: string | null;
  workload: number | null;
  account: number;
  /** extra spend per spike hour, as a multiple of the key's usual hourly spend */
  multiple: number;
  /** spike hours: [day, first hour, last hour] */
  spike: { day: string; from: number; to: number }[];
  /** recorded as an incident (false: a quiet spike nobody recorded) */
  recorded: boolean;
}

function pickAccount(rng: Rng): number {
  let r = rng();
  for (let i = 0; i < ACCOUNTS.length; i++) {
    r -= ACCOUNTS[i].share;
    if (r <= 0) return i;
  }
  return ACCOUNTS.length - 1;
}

const pad = (n: number, w = 3) => String(n).padStart(w, '0');

export function buildOrg(seed = 20260630): ScaleOrg {
  const rng = mulberry32(seed);
  const workloads: ScaleWorkload[] = [];
  // 10 departments × 5 applications × 4 agents = 200 workloads; one application per department runs in staging
  for (const department of DEPARTMENTS) {
    for (const [a, app] of APPS.entries()) {
      const account = pickAccount(rng);
      const application = `${department} ${app}`;
      const project = `proj-${department.toLowerCase()}-${app.toLowerCase()}`;
      for (const [g, agent] of AGENTS.entries()) {
        const id = workloads.length + 1;
        const unowned = rng() < 0.05;
        const acc = ACCOUNTS[account];
        const nModels = acc.models.length;
        const first = Math.floor(rng() * nModels);
        workloads.push({
          id, department, application, agent: g === 0 && a === 0 ? null : agent, environment: a === 4 && g === 3 ? 'staging' : 'production',
          owner: unowned ? null : `${FIRST[Math.floor(rng() * FIRST.length)]} ${LAST[Math.floor(rng() * LAST.length)]}`,
          critical: rng() < 0.08, account, project, weight: 0.2 + rng() * rng() * 4,
          models: [first, (first + 1) % nModels],
        });
      }
    }
  }
  // 9 keys per workload, 200 pool keys (most on the pooled OpenAI org) that no rule attributes: 2,000 in all
  const keys: ScaleKey[] = [];
  for (const w of workloads) {
    const acc = ACCOUNTS[w.account];
    for (let k = 0; k < 9; k++) {
      keys.push({
        key: `sk-${acc.key}-w${pad(w.id)}-${pad(k, 2)}`, account: w.account, workload: w.id, weight: w.weight * (0.1 + rng() * rng() * 2),
        project: w.project, user: `user-${pad(Math.floor(rng() * 400))}`,
      });
    }
  }
  for (let k = 0; k < 200; k++) {
    const account = k < 130 ? 0 : 1 + (k % (ACCOUNTS.length - 1));
    keys.push({
      key: `sk-${ACCOUNTS[account].key}-pool-${pad(k)}`, account, workload: null, weight: 0.05 + rng() * rng() * 0.6,
      project: `proj-shared-${ACCOUNTS[account].key}`, user: `svc-${pad(k)}`,
    });
  }
  // no key is so light that most days it has no row at all (a series of zeros and lone rows reads as spikes)
  const mean = keys.reduce((t, k) => t + k.weight, 0) / keys.length;
  for (const k of keys) k.weight = Math.max(k.weight, 0.35 * mean);
  // an Anthropic workload swaps Haiku for Opus a month before the end: a level shift, not an incident
  const swapWl = workloads.find((w) => ACCOUNTS[w.account].key === 'anthropic')!;
  const anth = ACCOUNTS[swapWl.account];
  const swap = { workload: swapWl.id, on: addDays(END, -40), from: anth.models.findIndex((x) => x.id === 'claude-haiku-4-5'), to: anth.models.findIndex((x) => x.id === 'claude-opus-4-1') };
  swapWl.models = [swap.from];

  const keyOf = (account: string, nth: number) => keys.filter((k) => ACCOUNTS[k.account].key === account && k.workload !== null)[nth];
  const leak = keyOf('openai', 17);
  const agent = keyOf('anthropic', 40);
  const old = keyOf('azure', 5);
  const quiet = keyOf('openai', 90);
  const d1 = addDays(END, -21);
  const d2 = addDays(END, -45);
  const d0 = addDays(END, -300);
  const d3 = addDays(END, -12);
  const inc = (o: Omit<ScaleIncident, 'account'> & { account: string }): ScaleIncident => ({ ...o, account: ACCOUNTS.findIndex((a) => a.key === o.account) });
  const incidents: ScaleIncident[] = [
    inc({
      externalId: 'INC-SCALE-0001', title: `Leaked OpenAI key ${leak.key} used from an unknown network`, type: 'leaked-key', severity: 'high',
      startedAt: `${d1}T02:00:00Z`, detectedAt: `${d1}T11:00:00Z`, resolvedAt: `${d1}T16:00:00Z`, key: leak.key, workload: leak.workload, account: 'openai',
      multiple: 25, spike: [{ day: d1, from: 3, to: 15 }], recorded: true,
    }),
    inc({
      externalId: 'INC-SCALE-0002', title: 'Compromised retriever agent looping on tool calls', type: 'compromised-agent', severity: 'medium',
      startedAt: `${d2}T06:00:00Z`, detectedAt: `${addDays(d2, 1)}T09:30:00Z`, resolvedAt: `${addDays(d2, 1)}T18:00:00Z`, key: agent.key, workload: agent.workload, account: 'anthropic',
      multiple: 12, spike: [{ day: d2, from: 6, to: 23 }, { day: addDays(d2, 1), from: 0, to: 17 }], recorded: true,
    }),
    inc({
      externalId: 'INC-SCALE-0003', title: `Azure key ${old.key} committed to a public repository`, type: 'leaked-key', severity: 'high',
      startedAt: `${d0}T08:00:00Z`, detectedAt: `${d0}T20:00:00Z`, resolvedAt: `${addDays(d0, 1)}T10:00:00Z`, key: old.key, workload: old.workload, account: 'azure',
      multiple: 15, spike: [{ day: d0, from: 9, to: 20 }], recorded: true,
    }),
    inc({
      externalId: 'INC-SCALE-0004', title: 'Phishing attempt against the finance approvers (no spend)', type: 'abuse', severity: 'low',
      startedAt: `${addDays(END, -30)}T10:00:00Z`, detectedAt: `${addDays(END, -30)}T10:30:00Z`, resolvedAt: `${addDays(END, -29)}T12:00:00Z`, key: null, workload: null, account: 'openai',
      multiple: 0, spike: [], recorded: true,
    }),
    inc({
      externalId: 'QUIET', title: 'unrecorded spike', type: 'none', severity: 'none', startedAt: `${d3}T00:00:00Z`, detectedAt: `${d3}T00:00:00Z`, resolvedAt: `${d3}T00:00:00Z`,
      key: quiet.key, workload: quiet.workload, account: 'openai', multiple: 8, spike: [{ day: d3, from: 0, to: 23 }], recorded: false,
    }),
  ];
  return { workloads, keys, swap, incidents };
}

export function workloadPath(w: { department: string; application: string; agent: string | null }): string {
  return [w.department, w.application, w.agent].filter((p): p is string => !!p).join(' › ');
}
