/**
 * Security incidents: GitHub secret-scanning alerts, GitGuardian incidents, PagerDuty
 * incidents, AWS GuardDuty findings and a generic incident CSV.
 */
import type { IncidentRecord } from '../../../../shared/domain';
import { Columns, RowReader, info, listCell, type FormatDef } from './common';

function incident(line: number, source: string, externalId: string, title: string, detectedAt: string): IncidentRecord {
  return {
    line,
    source,
    externalId,
    title,
    type: null,
    severity: null,
    status: null,
    startedAt: null,
    detectedAt,
    resolvedAt: null,
    apiKeys: [],
    workloads: [],
    accounts: [],
  };
}

export const incidentGithub: FormatDef = {
  info: info('incident-github', 'GitHub secret scanning alerts', 'incident'),
  required: [['number'], ['secret_type'], ['resolution']],
  prepare(headers, opts) {
    const c = new Columns(headers);
    const ix = {
      number: c.idx('number'),
      created: c.idx('created_at'),
      state: c.idx('state'),
      resolution: c.idx('resolution'),
      resolved: c.idx('resolved_at'),
      type: c.idx('secret_type'),
      display: c.idx('secret_type_display_name'),
      validity: c.idx('validity'),
      leaked: c.idx('publicly_leaked'),
      url: c.idx('html_url'),
      repo: c.idx('repository', 'repository.full_name', 'repo'),
    };
    const r = new RowReader(c, opts);
    return (cells, line) => {
      r.reset(cells, line);
      const id = r.need(ix.number, 'an alert number');
      const detectedAt = r.instant(ix.created, true);
      const resolvedAt = r.instant(ix.resolved);
      return r.result(() => {
        const type = r.t(ix.type);
        const display = r.t(ix.display) ?? type ?? 'secret';
        const leaked = r.t(ix.leaked);
        const rec = incident(line, 'github', id!, `Leaked ${display}${leaked !== null && /^true$/i.test(leaked) ? ' (publicly leaked)' : ''}`, detectedAt!);
        rec.type = type !== null ? `secret-leak:${type}` : 'secret-leak';
        const validity = r.t(ix.validity);
        rec.status = [[r.t(ix.state), r.t(ix.resolution)].filter(Boolean).join(': '), validity !== null ? `secret ${validity}` : ''].filter(Boolean).join(', ') || null;
        rec.resolvedAt = resolvedAt;
        const repo = r.t(ix.repo);
        if (repo !== null) rec.workloads = [repo];
        return { kind: 'incident', record: rec };
      });
    };
  },
};

export const incidentGitguardian: FormatDef = {
  info: info('incident-gitguardian', 'GitGuardian incidents', 'incident'),
  required: [['detector.name', 'detector.display_name', 'detector_name', 'detector'], ['triggered_at']],
  prepare(headers, opts) {
    const c = new Columns(headers);
    const ix = {
      id: c.idx('id', 'incident_id'),
      date: c.idx('date'),
      detector: c.idx('detector.display_name', 'detector.name', 'detector_name', 'detector'),
      detectorType: c.idx('detector.name', 'detector_name', 'detector'),
      status: c.idx('status'),
      triggered: c.idx('triggered_at'),
      resolved: c.idx('resolved_at'),
      revoked: c.idx('secret_revoked'),
      validity: c.idx('validity'),
      severity: c.idx('severity'),
      source: c.idx('source', 'source.name', 'repository'),
    };
    const r = new RowReader(c, opts);
    return (cells, line) => {
      r.reset(cells, line);
      const id = r.need(ix.id, 'an incident id');
      const detectedAt = r.t(ix.triggered) !== null ? r.instant(ix.triggered, true) : r.instant(ix.date, true);
      const startedAt = r.instant(ix.date);
      const resolvedAt = r.instant(ix.resolved);
      return r.result(() => {
        const detector = r.t(ix.detector) ?? 'secret';
        const rec = incident(line, 'gitguardian', id!, `Leaked ${detector}`, detectedAt!);
        rec.type = `secret-leak:${r.t(ix.detectorType) ?? detector}`;
        rec.severity = r.t(ix.severity);
        const revoked = r.t(ix.revoked);
        rec.status = [r.t(ix.status), r.t(ix.validity), revoked !== null && /^true$/i.test(revoked) ? 'revoked' : null].filter(Boolean).join(', ') || null;
        rec.startedAt = startedAt;
        rec.resolvedAt = resolvedAt;
        const src = r.t(ix.source);
        if (src !== null) rec.workloads = [src];
        return { kind: 'incident', record: rec };
      });
    };
  },
};

export const incidentPagerduty: FormatDef = {
  info: info('incident-pagerduty', 'PagerDuty incidents', 'incident'),
  required: [['incident_number'], ['urgency'], ['service.summary', 'service_summary', 'service']],
  prepare(headers, opts) {
    const c = new Columns(headers);
    const ix = {
      id: c.idx('id'),
      number: c.idx('incident_number'),
      title: c.idx('title', 'summary', 'description'),
      status: c.idx('status'),
      urgency: c.idx('urgency'),
      service: c.idx('service.summary', 'service_summary', 'service'),
      created: c.idx('created_at'),
      resolved: c.idx('resolved_at'),
    };
    const r = new RowReader(c, opts);
    return (cells, line) => {
      r.reset(cells, line);
      const id = r.first(ix.number, ix.id);
      if (id === null) r.fail(ix.number, 'incident_number: expected an incident number, found an empty cell');
      const detectedAt = r.instant(ix.created, true);
      const status = r.t(ix.status);
      const resolvedAt = r.instant(ix.resolved);
      return r.result(() => {
        const rec = incident(line, 'pagerduty', id!.trim(), r.t(ix.title) ?? `PagerDuty incident ${id}`, detectedAt!);
        rec.severity = r.t(ix.urgency);
        rec.status = status;
        rec.resolvedAt = resolvedAt;
        const service = r.t(ix.service);
        if (service !== null) rec.workloads = [service];
        return { kind: 'incident', record: rec };
      });
    };
  },
};

/** GuardDuty severity number → its band (1–3.9 low, 4–6.9 medium, 7–8.9 high, 9+ critical). */
function guardDutySeverity(v: string | null): string | null {
  if (v === null) return null;
  const n = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v) || Number.isNaN(n)) return v;
  const band = n >= 9 ? 'critical' : n >= 7 ? 'high' : n >= 4 ? 'medium' : 'low';
  return `${band} (${v})`;
}

export const incidentGuardduty: FormatDef = {
  info: info('incident-guardduty', 'AWS GuardDuty findings', 'incident'),
  required: [['type'], ['severity'], ['createdAt'], ['accountId']],
  prepare(headers, opts) {
    const c = new Columns(headers);
    const ix = {
      id: c.idx('id'),
      type: c.idx('type'),
      severity: c.idx('severity'),
      created: c.idx('createdAt'),
      updated: c.idx('updatedAt'),
      account: c.idx('accountId'),
      region: c.idx('region'),
      title: c.idx('title'),
      description: c.idx('description'),
      firstSeen: c.idx('service.eventFirstSeen', 'eventFirstSeen'),
      accessKey: c.idx('resource.accessKeyDetails.accessKeyId', 'accessKeyId'),
      archived: c.idx('service.archived', 'archived'),
    };
    const r = new RowReader(c, opts);
    return (cells, line) => {
      r.reset(cells, line);
      const id = r.need(ix.id, 'a finding id');
      const detectedAt = r.instant(ix.created, true);
      const startedAt = r.instant(ix.firstSeen);
      return r.result(() => {
        const type = r.t(ix.type);
        const rec = incident(line, 'guardduty', id!, r.t(ix.title) ?? type ?? `GuardDuty finding ${id}`, detectedAt!);
        rec.type = type;
        rec.severity = guardDutySeverity(r.t(ix.severity));
        const archived = r.t(ix.archived);
        rec.status = archived !== null && /^true$/i.test(archived) ? 'archived' : null;
        rec.startedAt = startedAt;
        const account = r.t(ix.account);
        if (account !== null) rec.accounts = [account];
        const key = r.t(ix.accessKey);
        if (key !== null) rec.apiKeys = [key];
        return { kind: 'incident', record: rec };
      });
    };
  },
};

export const incidentGeneric: FormatDef = {
  info: info('incident-generic', 'Incident list', 'incident'),
  required: [['id'], ['title'], ['detected_at', 'started_at']],
  prepare(headers, opts) {
    const c = new Columns(headers);
    const ix = {
      id: c.idx('id', 'incident_id'),
      title: c.idx('title', 'name', 'summary'),
      type: c.idx('type', 'category'),
      severity: c.idx('severity', 'priority'),
      status: c.idx('status', 'state'),
      started: c.idx('started_at', 'start', 'began_at'),
      detected: c.idx('detected_at', 'detected', 'reported_at'),
      resolved: c.idx('resolved_at', 'resolved', 'closed_at'),
      keys: c.idx('api_keys', 'affected_api_keys', 'api_key', 'keys'),
      workloads: c.idx('workloads', 'affected_workloads', 'workload'),
      accounts: c.idx('accounts', 'affected_accounts', 'account'),
      source: c.idx('source'),
    };
    const r = new RowReader(c, opts);
    return (cells, line) => {
      r.reset(cells, line);
      const id = r.need(ix.id, 'an incident id');
      const title = r.need(ix.title, 'a title');
      const startedAt = r.instant(ix.started);
      const detectedAt = r.t(ix.detected) !== null ? r.instant(ix.detected, true) : startedAt;
      if (detectedAt === null && !r.error) r.fail(ix.detected >= 0 ? ix.detected : ix.started, 'detected_at: expected the time the incident was detected, found an empty cell');
      const resolvedAt = r.instant(ix.resolved);
      return r.result(() => {
        const rec = incident(line, r.t(ix.source) ?? 'generic', id!, title!, detectedAt!);
        rec.type = r.t(ix.type);
        rec.severity = r.t(ix.severity);
        rec.status = r.t(ix.status);
        rec.startedAt = startedAt;
        rec.resolvedAt = resolvedAt;
        rec.apiKeys = listCell(r.s(ix.keys));
        rec.workloads = listCell(r.s(ix.workloads));
        rec.accounts = listCell(r.s(ix.accounts));
        return { kind: 'incident', record: rec };
      });
    };
  },
};
