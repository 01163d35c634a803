/**
 * OpenAI organisation usage export (tokens per bucket, no cost) and cost export (dollars per
 * bucket and line item). Start/end are Unix seconds with ISO copies; counts may be written as
 * floats ("10.0"); currency is lower case.
 */
import { Columns, RowReader, info, skip, usageRecord, type FormatDef } from './common';

export const openaiUsage: FormatDef = {
  info: info('openai-usage', 'OpenAI usage export', 'usage'),
  required: [['num_model_requests'], ['input_tokens'], ['start_time_iso', 'start_time']],
  prepare(headers, opts) {
    const c = new Columns(headers);
    const ix = {
      start: c.idx('start_time'),
      startIso: c.idx('start_time_iso'),
      end: c.idx('end_time'),
      endIso: c.idx('end_time_iso'),
      project: c.idx('project_id'),
      requests: c.idx('num_model_requests'),
      user: c.idx('user_id'),
      apiKey: c.idx('api_key_id'),
      model: c.idx('model'),
      batch: c.idx('batch'),
      tier: c.idx('service_tier'),
      input: c.idx('input_tokens'),
      output: c.idx('output_tokens'),
      cached: c.idx('input_cached_tokens'),
      uncached: c.idx('input_uncached_tokens'),
    };
    const r = new RowReader(c, opts);
    // the description of each (batch, tier) is made once: a file has a handful of them
    const described = [new Map<string | null, string | null>(), new Map<string | null, string | null>()];
    const describe = (isBatch: boolean, tier: string | null): string | null => {
      const m = described[isBatch ? 1 : 0];
      let d = m.get(tier);
      if (d === undefined) {
        const notes: string[] = [];
        if (isBatch) notes.push('batch');
        if (tier !== null) notes.push(`service tier ${tier}`);
        d = notes.length ? notes.join(', ') : null;
        if (m.size < 1000) m.set(tier, d);
      }
      return d;
    };
    return (cells, line) => {
      r.reset(cells, line);
      if (r.t(ix.requests) === null && r.t(ix.input) === null && r.t(ix.output) === null) return skip('empty bucket');
      const periodStart = r.t(ix.start) !== null ? r.instant(ix.start, true) : r.instant(ix.startIso, true);
      const periodEnd = r.t(ix.end) !== null ? r.instant(ix.end) : r.instant(ix.endIso);
      const cached = r.int(ix.cached);
      const input = ix.uncached >= 0 && r.t(ix.uncached) !== null ? r.int(ix.uncached) : Math.max(0, r.int(ix.input) - cached);
      const output = r.int(ix.output);
      const requests = r.intOrNull(ix.requests);
      const batch = r.t(ix.batch);
      const tier = r.t(ix.tier);
      return r.result(() => {
        const rec = usageRecord(line, 'openai', periodStart!, 'USD');
        rec.periodEnd = periodEnd;
        rec.subAccountId = r.s(ix.project);
        rec.apiKey = r.s(ix.apiKey);
        rec.userId = r.s(ix.user);
        rec.modelRaw = r.s(ix.model);
        rec.inputTokens = input;
        rec.cacheReadTokens = cached;
        rec.outputTokens = output;
        rec.requests = requests;
        rec.description = describe(batch !== null && /^true$/i.test(batch), tier);
        return { kind: 'usage', record: rec };
      });
    };
  },
};

export const openaiCost: FormatDef = {
  info: info('openai-cost', 'OpenAI cost export', 'usage'),
  required: [['amount_value'], ['amount_currency']],
  prepare(headers, opts) {
    const c = new Columns(headers);
    const ix = {
      start: c.idx('start_time'),
      startIso: c.idx('start_time_iso'),
      end: c.idx('end_time'),
      endIso: c.idx('end_time_iso'),
      amount: c.idx('amount_value', 'amount.value'),
      currency: c.idx('amount_currency', 'amount.currency'),
      lineItem: c.idx('line_item'),
      project: c.idx('project_id'),
      org: c.idx('organization_id'),
      orgName: c.idx('organization_name'),
    };
    const r = new RowReader(c, opts);
    return (cells, line) => {
      r.reset(cells, line);
      if (r.t(ix.amount) === null) return skip('empty bucket');
      const periodStart = r.t(ix.start) !== null ? r.instant(ix.start, true) : r.instant(ix.startIso, true);
      const periodEnd = r.t(ix.end) !== null ? r.instant(ix.end) : r.instant(ix.endIso);
      const amount = r.amount(ix.amount, true);
      const currency = r.currency(ix.currency, null);
      const lineItem = r.s(ix.lineItem);
      return r.result(() => {
        const rec = usageRecord(line, 'openai', periodStart!, currency!);
        rec.periodEnd = periodEnd;
        rec.billingAccountId = r.s(ix.org);
        rec.billingAccountName = r.s(ix.orgName);
        rec.subAccountId = r.s(ix.project);
        rec.billedCostMicros = amount!.micros;
        rec.billedCostText = amount!.text;
        rec.description = lineItem;
        // line items look like "gpt-4o-2024-08-06, input"
        rec.modelRaw = lineItem !== null ? lineItem.split(',')[0].trim() || null : null;
        return { kind: 'usage', record: rec };
      });
    };
  },
};
