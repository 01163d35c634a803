/**
 * Anthropic Console exports: the usage CSV (tokens per day, model, key and workspace; cache
 * writes for 5 minutes and 1 hour add up to cacheWrite) and the cost CSV (dollars per day, model
 * display name and token type).
 */
import { addDays } from '../../../../shared/dates';
import { Columns, RowReader, info, usageRecord, type FormatDef } from './common';

export const anthropicUsage: FormatDef = {
  info: info('anthropic-usage', 'Anthropic Console usage', 'usage'),
  required: [['usage_date_utc'], ['usage_input_tokens_no_cache']],
  prepare(headers, opts) {
    const c = new Columns(headers);
    const ix = {
      day: c.idx('usage_date_utc'),
      model: c.idx('model_version', 'model'),
      apiKey: c.idx('api_key', 'api_key_id'),
      workspace: c.idx('workspace', 'workspace_id'),
      usageType: c.idx('usage_type'),
      contextWindow: c.idx('context_window'),
      input: c.idx('usage_input_tokens_no_cache'),
      write5m: c.idx('usage_input_tokens_cache_write_5m'),
      write1h: c.idx('usage_input_tokens_cache_write_1h'),
      read: c.idx('usage_input_tokens_cache_read'),
      output: c.idx('usage_output_tokens'),
      geo: c.idx('inference_geo'),
      speed: c.idx('speed'),
    };
    const r = new RowReader(c, opts);
    return (cells, line) => {
      r.reset(cells, line);
      const periodStart = r.instant(ix.day, true);
      const dayOnly = r.dateOnly(ix.day);
      const input = r.int(ix.input);
      const write = r.int(ix.write5m) + r.int(ix.write1h);
      const read = r.int(ix.read);
      const output = r.int(ix.output);
      return r.result(() => {
        const rec = usageRecord(line, 'anthropic', periodStart!, 'USD');
        rec.periodEnd = dayOnly ? `${addDays(periodStart!.slice(0, 10), 1)}T00:00:00Z` : null;
        rec.modelRaw = r.s(ix.model);
        rec.apiKey = r.s(ix.apiKey);
        rec.subAccountId = r.s(ix.workspace);
        rec.subAccountName = r.s(ix.workspace);
        rec.inputTokens = input;
        rec.cacheWriteTokens = write;
        rec.cacheReadTokens = read;
        rec.outputTokens = output;
        rec.serviceName = r.s(ix.usageType);
        const notes = [r.t(ix.contextWindow), r.t(ix.geo), r.t(ix.speed)].filter((x): x is string => x !== null);
        rec.description = notes.length ? notes.join(', ') : null;
        return { kind: 'usage', record: rec };
      });
    };
  },
};

export const anthropicCost: FormatDef = {
  info: info('anthropic-cost', 'Anthropic Console cost', 'usage'),
  required: [['usage_date_utc'], ['token_type'], ['cost_usd']],
  prepare(headers, opts) {
    const c = new Columns(headers);
    const ix = {
      day: c.idx('usage_date_utc'),
      model: c.idx('model', 'model_version'),
      workspace: c.idx('workspace', 'workspace_id'),
      apiKey: c.idx('api_key'),
      apiKeyId: c.idx('api_key_id'),
      usageType: c.idx('usage_type'),
      contextWindow: c.idx('context_window'),
      tokenType: c.idx('token_type'),
      cost: c.idx('cost_usd'),
      list: c.idx('list_price_usd'),
      costType: c.idx('cost_type'),
    };
    const r = new RowReader(c, opts);
    return (cells, line) => {
      r.reset(cells, line);
      const periodStart = r.instant(ix.day, true);
      const dayOnly = r.dateOnly(ix.day);
      const cost = r.amount(ix.cost, true);
      const list = r.micros(ix.list);
      const tokenType = r.t(ix.tokenType);
      const costType = r.t(ix.costType);
      return r.result(() => {
        const rec = usageRecord(line, 'anthropic', periodStart!, 'USD');
        rec.periodEnd = dayOnly ? `${addDays(periodStart!.slice(0, 10), 1)}T00:00:00Z` : null;
        rec.modelRaw = r.s(ix.model);
        rec.apiKey = r.s(ix.apiKey) ?? r.s(ix.apiKeyId);
        rec.subAccountId = r.s(ix.workspace);
        rec.subAccountName = r.s(ix.workspace);
        rec.serviceName = r.s(ix.usageType);
        rec.billedCostMicros = cost!.micros;
        rec.billedCostText = cost!.text;
        rec.listCostMicros = list;
        rec.sku = tokenType;
        const notes = [costType, tokenType, r.t(ix.contextWindow)].filter((x): x is string => x !== null);
        rec.description = notes.length ? notes.join(', ') : null;
        return { kind: 'usage', record: rec };
      });
    };
  },
};
