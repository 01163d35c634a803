/**
 * The framework mapping of the executive summary: every reference the controls posture makes to
 * NIST CSF 2.0, the OWASP Non-Human Identity Top 10 (2025) and the NIST AI RMF, with the
 * reference's title and the worst status of the controls behind it. The references the brief
 * names always appear, marked "info" when no control of this posture covers them.
 */
import type { Posture, ControlStatus } from '../../../shared/api/ledger-types';
import type { FrameworkRow } from '../../../shared/api/report-types';

const CSF: Record<string, string> = {
  'GV.RM-01': 'Risk management objectives are established and agreed to by organizational stakeholders',
  'GV.RR-02': 'Roles, responsibilities, and authorities related to cybersecurity risk management are established, communicated, understood, and enforced',
  'GV.OV-03': 'Organizational cybersecurity risk management performance is evaluated and reviewed for adjustments needed',
  'ID.AM-02': 'Inventories of software, services, and systems managed by the organization are maintained',
  'PR.AA-01': 'Identities and credentials for authorized users, services, and hardware are managed by the organization',
  'PR.AA-05': 'Access permissions, entitlements, and authorizations are managed, enforced and reviewed, with least privilege and separation of duties',
  'DE.CM-06': 'External service provider activities and services are monitored to find potentially adverse events',
  'DE.CM-09': 'Computing hardware and software, runtime environments, and their data are monitored to find potentially adverse events',
  'DE.AE-02': 'Potentially adverse events are analyzed to better understand associated activities',
  'RS.MI-01': 'Incidents are contained',
  'RS.AN-03': 'Analysis is performed to establish what has taken place during an incident and its root cause',
};

const NHI: Record<string, string> = {
  NHI1: 'Improper Offboarding', NHI2: 'Secret Leakage', NHI3: 'Vulnerable Third-Party NHI', NHI4: 'Insecure Authentication',
  NHI5: 'Overprivileged NHI', NHI6: 'Insecure Cloud Deployment Configurations', NHI7: 'Long-Lived Secrets', NHI8: 'Environment Isolation',
  NHI9: 'NHI Reuse', NHI10: 'Human Use of NHI',
};

const AI_RMF: Record<string, string> = {
  GOVERN: 'A culture of risk management is cultivated: policies, accountability and oversight of AI risk',
  MAP: 'Context is established and risks related to the AI system are identified',
  MEASURE: 'Identified risks are assessed, analysed and tracked',
  MANAGE: 'Risks are prioritised and acted upon based on projected impact',
};

/** References the brief asks every summary to show, covered or not. */
const REQUIRED: { framework: FrameworkRow['framework']; id: string }[] = [
  { framework: 'NIST CSF 2.0', id: 'GV.RM-01' },
  { framework: 'OWASP NHI Top 10 (2025)', id: 'NHI1' },
  { framework: 'OWASP NHI Top 10 (2025)', id: 'NHI2' },
  { framework: 'OWASP NHI Top 10 (2025)', id: 'NHI3' },
  ...(['GOVERN', 'MAP', 'MEASURE', 'MANAGE'] as const).map((id) => ({ framework: 'NIST AI RMF 1.0' as const, id })),
];

const RANK: Record<ControlStatus | 'info', number> = { fail: 0, warn: 1, pass: 2, info: 3 };

function refs(c: Posture['controls'][number]): { framework: FrameworkRow['framework']; id: string }[] {
  return [
    ...c.frameworks.csf.map((id) => ({ framework: 'NIST CSF 2.0' as const, id })),
    ...c.frameworks.nhi.map((ref) => ({ framework: 'OWASP NHI Top 10 (2025)' as const, id: ref.split(' ')[0] })),
    // AI RMF subcategories (GOVERN 1.3) roll up to their function, which is what a summary reader knows.
    ...c.frameworks.aiRmf.map((ref) => ({ framework: 'NIST AI RMF 1.0' as const, id: ref.split(' ')[0] })),
  ];
}

function title(framework: FrameworkRow['framework'], id: string): string {
  const table = framework === 'NIST CSF 2.0' ? CSF : framework === 'NIST AI RMF 1.0' ? AI_RMF : NHI;
  return table[id] ?? id;
}

export function frameworkRows(posture: Posture): FrameworkRow[] {
  const rows = new Map<string, FrameworkRow & { controls: string[] }>();
  const row = (framework: FrameworkRow['framework'], id: string) => {
    const k = `${framework}|${id}`;
    const r = rows.get(k) ?? { framework, id, title: title(framework, id), drawdownControl: '', status: 'info' as const, evidence: '', controls: [] };
    rows.set(k, r);
    return r;
  };
  for (const c of posture.controls) {
    for (const ref of refs(c)) {
      const r = row(ref.framework, ref.id);
      if (!r.controls.includes(c.title)) r.controls.push(c.title);
      if (RANK[c.status] < RANK[r.status]) r.status = c.status;
    }
  }
  for (const req of REQUIRED) row(req.framework, req.id);
  const order: FrameworkRow['framework'][] = ['NIST CSF 2.0', 'OWASP NHI Top 10 (2025)', 'NIST AI RMF 1.0'];
  return [...rows.values()]
    .map(({ controls, ...r }) => ({
      ...r,
      drawdownControl: controls.join('; ') || 'not covered by a control of this posture',
      evidence: controls.length ? posture.controls.filter((c) => controls.includes(c.title)).map((c) => `${c.title}: ${c.status}`).join('; ') : '—',
    }))
    .sort((a, b) => order.indexOf(a.framework) - order.indexOf(b.framework) || a.id.localeCompare(b.id, 'en', { numeric: true }));
}
