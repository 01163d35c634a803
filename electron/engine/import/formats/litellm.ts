/**
 * LiteLLM proxy spend logs: one row per request with spend (USD), prompt/completion tokens, the
 * hashed API key, team, user and request tags (JSON).
 */
import { Columns, RowReader, info, usageRecord, type FormatDef } from './common';

export const litellm: FormatDef = {
  info: info('litellm', 'LiteLLM spend logs', 'usage'),
  required: [['request_id'], ['spend'], ['prompt_tokens'], ['completion_tokens']],
  prepare(headers, opts) {
    const c = new Columns(headers);
    const ix = {
      id: c.idx('request_id'),
      callType: c.idx('call_type'),
      apiKey: c.idx('api_key'),
      spend: c.idx('spend'),
      prompt: c.idx('prompt_tokens'),
      completion: c.idx('completion_tokens'),
      start: c.idx('startTime', 'start_time'),
      end: c.idx('endTime', 'end_time'),
      model: c.idx('model'),
      group: c.idx('model_group'),
      llmProvider: c.idx('custom_llm_provider'),
      user: c.idx('user'),
      endUser: c.idx('end_user'),
      team: c.idx('team_id'),
      org: c.idx('organization_id'),
      tags: c.idx('request_tags'),
      status: c.idx('status'),
      agent: c.idx('agent_id'),
      cacheHit: c.idx('cache_hit'),
    };
    const r = new RowReader(c, opts);
    return (cells, line) => {
      r.reset(cells, line);
      const periodStart = r.instant(ix.start, true);
      const periodEnd = r.instant(ix.end);
      const spend = r.amount(ix.spend, true);
      const prompt = r.int(ix.prompt);
      const completion = r.int(ix.completion);
      const tags = r.tags(ix.tags);
      return r.result(() => {
        const rec = usageRecord(line, 'litellm', periodStart!, 'USD');
        rec.periodEnd = periodEnd;
        rec.resourceId = r.s(ix.id);
        rec.apiKey = r.s(ix.apiKey);
        rec.userId = r.s(ix.user) ?? r.s(ix.endUser);
        rec.subAccountId = r.s(ix.team);
        rec.billingAccountId = r.s(ix.org);
        rec.modelRaw = r.s(ix.model);
        rec.sku = r.s(ix.group);
        rec.serviceName = r.s(ix.llmProvider);
        rec.inputTokens = prompt;
        rec.outputTokens = completion;
        rec.requests = 1;
        rec.billedCostMicros = spend!.micros;
        rec.billedCostText = spend!.text;
        const agent = r.s(ix.agent);
        rec.tags = agent !== null ? { ...(tags ?? {}), agent_id: agent } : tags;
        const notes = [r.t(ix.callType), r.t(ix.status)].filter((x): x is string => x !== null);
        const hit = r.t(ix.cacheHit);
        if (hit !== null && /^true$/i.test(hit)) notes.push('cache hit');
        rec.description = notes.length ? notes.join(', ') : null;
        return { kind: 'usage', record: rec };
      });
    };
  },
};
