import type { Db } from '../db/open';
import type { BlockKind } from '../../../shared/domain';
import type { BlockSource } from '../../../shared/api/ledger-types';

/** SQL for credit accounts and credit blocks (the ledger figures come from the drawdown engine). */

export interface AccountRow {
  id: number;
  provider: string;
  externalId: string;
  name: string;
  currency: string;
  pooled: number;
  autoRecharge: number;
  monthlyBudgetMicros: number | null;
  blocks: number;
  workloads: number;
  spendMicros: number;
  unattributedMicros: number;
}

export interface StoredBlock {
  id: number;
  accountId: number;
  name: string;
  kind: BlockKind;
  unit: string;
  amountMicros: number;
  unitPriceMicros: number | null;
  costBasisMicros: number;
  purchasedOn: string;
  expiresOn: string | null;
  priority: number;
  source: BlockSource;
  sourceRef: string | null;
  retiredAt: string | null;
}

/** What block-create stores: a block before it has an id, never retired. */
export type NewBlock = Omit<StoredBlock, 'id' | 'retiredAt'>;

// Usage figures come from usage_daily (migration 2, kept exact by triggers): over usage_records these
// subqueries took seconds at 5M rows (bench/scale.ts), over the pre-aggregate milliseconds.
const ACCOUNT_SELECT = `
  SELECT a.id, a.provider, a.external_id AS externalId, a.name, a.currency, a.pooled, a.auto_recharge AS autoRecharge,
         a.monthly_budget_micros AS monthlyBudgetMicros,
         (SELECT count(*) FROM credit_blocks b WHERE b.account_id = a.id AND b.retired_at IS NULL) AS blocks,
         (SELECT count(DISTINCT workload_key) FROM usage_daily d WHERE d.account_key = a.id AND d.workload_key <> 0) AS workloads,
         (SELECT COALESCE(SUM(billed_micros), 0) FROM usage_daily d WHERE d.account_key = a.id AND d.charge_category = 'usage') AS spendMicros,
         (SELECT COALESCE(SUM(billed_micros), 0) FROM usage_daily d WHERE d.account_key = a.id AND d.charge_category = 'usage' AND d.workload_key = 0) AS unattributedMicros
  FROM credit_accounts a`;

const BLOCK_SELECT = `
  SELECT id, account_id AS accountId, name, kind, unit, amount_micros AS amountMicros, unit_price_micros AS unitPriceMicros,
         cost_basis_micros AS costBasisMicros, purchased_on AS purchasedOn, expires_on AS expiresOn, priority, source,
         source_ref AS sourceRef, retired_at AS retiredAt
  FROM credit_blocks`;

export function createBlocksRepo(db: Db) {
  const accounts = db.prepare<[], AccountRow>(`${ACCOUNT_SELECT} ORDER BY a.name`);
  const account = db.prepare<[number], AccountRow>(`${ACCOUNT_SELECT} WHERE a.id = ?`);
  const block = db.prepare<[number], StoredBlock>(`${BLOCK_SELECT} WHERE id = ?`);
  const insert = db.prepare(`
    INSERT INTO credit_blocks (account_id, name, kind, unit, amount_micros, unit_price_micros, cost_basis_micros, purchased_on, expires_on,
                               priority, source, source_ref, created_at)
    VALUES (@accountId, @name, @kind, @unit, @amountMicros, @unitPriceMicros, @costBasisMicros, @purchasedOn, @expiresOn, @priority, @source, @sourceRef, @at)`);
  const update = db.prepare(`
    UPDATE credit_blocks SET name = @name, kind = @kind, amount_micros = @amountMicros, unit_price_micros = @unitPriceMicros,
           cost_basis_micros = @costBasisMicros, expires_on = @expiresOn, priority = @priority, source_ref = @sourceRef
    WHERE id = @id`);
  const retire = db.prepare('UPDATE credit_blocks SET retired_at = ? WHERE id = ? AND retired_at IS NULL');
  const updateAccount = db.prepare(
    'UPDATE credit_accounts SET pooled = @pooled, auto_recharge = @autoRecharge, monthly_budget_micros = @monthlyBudgetMicros WHERE id = @id',
  );
  return {
    accounts: () => accounts.all(),
    account: (id: number) => account.get(id),
    block: (id: number) => block.get(id),
    insert: (b: NewBlock, at: string): number => Number(insert.run({ ...b, at }).lastInsertRowid),
    update: (b: StoredBlock) => update.run(b),
    retire: (id: number, at: string): boolean => retire.run(at, id).changes > 0,
    updateAccount: (a: { id: number; pooled: number; autoRecharge: number; monthlyBudgetMicros: number | null }) => updateAccount.run(a),
  };
}
export type BlocksRepo = ReturnType<typeof createBlocksRepo>;
