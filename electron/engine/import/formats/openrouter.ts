/**
 * OpenRouter activity export: one row per request (generation), cost in USD credits,
 * `created_at` in UTC without a zone.
 */
import { Columns, RowReader, info, usageRecord, type FormatDef } from './common';

export const openrouter: FormatDef = {
  info: info('openrouter', 'OpenRouter activity', 'usage'),
  required: [['generation_id'], ['model_permaslug']],
  prepare(headers, opts) {
    const c = new Columns(headers);
    const ix = {
      id: c.idx('generation_id'),
      created: c.idx('created_at'),
      cost: c.idx('cost_total'),
      prompt: c.idx('tokens_prompt'),
      completion: c.idx('tokens_completion'),
      cached: c.idx('tokens_cached'),
      model: c.idx('model_permaslug'),
      provider: c.idx('provider_name'),
      variant: c.idx('variant'),
      cancelled: c.idx('cancelled'),
      user: c.idx('user'),
      keyName: c.idx('api_key_name'),
      app: c.idx('app_name'),
      finish: c.idx('finish_reason_normalized'),
      byok: c.idx('byok_usage_inference'),
    };
    const r = new RowReader(c, opts);
    return (cells, line) => {
      r.reset(cells, line);
      const periodStart = r.instant(ix.created, true);
      const cost = r.amount(ix.cost, true);
      const prompt = r.int(ix.prompt);
      const cached = r.int(ix.cached);
      const completion = r.int(ix.completion);
      const cancelled = r.t(ix.cancelled);
      return r.result(() => {
        const rec = usageRecord(line, 'openrouter', periodStart!, 'USD');
        rec.resourceId = r.s(ix.id);
        rec.modelRaw = r.s(ix.model);
        rec.serviceName = r.s(ix.provider);
        rec.sku = r.s(ix.variant);
        rec.userId = r.s(ix.user);
        rec.apiKey = r.s(ix.keyName);
        rec.subAccountName = r.s(ix.app);
        rec.subAccountId = r.s(ix.app);
        // tokens_prompt includes the cached prompt tokens
        rec.inputTokens = Math.max(0, prompt - cached);
        rec.cacheReadTokens = cached;
        rec.outputTokens = completion;
        rec.requests = 1;
        rec.billedCostMicros = cost!.micros;
        rec.billedCostText = cost!.text;
        const notes: string[] = [];
        if (cancelled !== null && /^(true|1)$/i.test(cancelled)) notes.push('cancelled');
        const finish = r.t(ix.finish);
        if (finish !== null) notes.push(`finish ${finish}`);
        rec.description = notes.length ? notes.join(', ') : null;
        return { kind: 'usage', record: rec };
      });
    };
  },
};
