/**
 * Migration 1: the whole glossary of BRIEF.md as STRICT tables. Money is INTEGER micro-units of
 * the row's currency (or virtual unit), tokens are INTEGER, days are TEXT YYYY-MM-DD and
 * instants TEXT ISO 8601 UTC. Later issues add behaviour, not columns, where they can.
 */
export const migration001 = `
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE profiles (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('analyst','owner','approver')),
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE imports (
  id INTEGER PRIMARY KEY,
  file_name TEXT NOT NULL,
  -- sha256 of the decoded content with BOM dropped and line endings normalised
  content_hash TEXT NOT NULL,
  byte_hash TEXT NOT NULL,
  byte_size INTEGER NOT NULL,
  format TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('usage','invoice','incident')),
  status TEXT NOT NULL CHECK (status IN ('committed','undone')),
  rows_read INTEGER NOT NULL DEFAULT 0,
  rows_imported INTEGER NOT NULL DEFAULT 0,
  rows_duplicate INTEGER NOT NULL DEFAULT 0,
  rows_rejected INTEGER NOT NULL DEFAULT 0,
  errors_json TEXT NOT NULL DEFAULT '[]',
  run_by TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  undone_at TEXT
) STRICT;
CREATE INDEX imports_content_hash ON imports(content_hash);

CREATE TABLE import_mappings (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  -- the sorted, lower-cased header names joined by a newline, hashed
  header_signature TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('usage','invoice','incident')),
  mapping_json TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE credit_accounts (
  id INTEGER PRIMARY KEY,
  provider TEXT NOT NULL,
  external_id TEXT NOT NULL,
  name TEXT NOT NULL,
  currency TEXT NOT NULL DEFAULT 'USD',
  pooled INTEGER NOT NULL DEFAULT 0 CHECK (pooled IN (0,1)),
  auto_recharge INTEGER NOT NULL DEFAULT 0 CHECK (auto_recharge IN (0,1)),
  monthly_budget_micros INTEGER,
  created_at TEXT NOT NULL,
  UNIQUE (provider, external_id)
) STRICT;

CREATE TABLE credit_blocks (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES credit_accounts(id),
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('purchased','promotional')),
  -- the block's amount is in 'unit': a currency code, or a virtual unit (Token, Credit)
  unit TEXT NOT NULL,
  amount_micros INTEGER NOT NULL CHECK (amount_micros >= 0),
  -- for a virtual unit: the account currency's micros one unit is worth
  unit_price_micros INTEGER,
  cost_basis_micros INTEGER NOT NULL DEFAULT 0,
  purchased_on TEXT NOT NULL,
  expires_on TEXT,
  priority INTEGER NOT NULL DEFAULT 0,
  source TEXT NOT NULL CHECK (source IN ('manual','focus-purchase','invoice-line','top-up','demo')),
  source_ref TEXT,
  import_id INTEGER REFERENCES imports(id) ON DELETE CASCADE,
  retired_at TEXT,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX credit_blocks_account ON credit_blocks(account_id);

CREATE TABLE workloads (
  id INTEGER PRIMARY KEY,
  department TEXT NOT NULL,
  application TEXT NOT NULL,
  agent TEXT,
  environment TEXT NOT NULL DEFAULT 'production',
  owner_name TEXT,
  owner_contact TEXT,
  critical INTEGER NOT NULL DEFAULT 0 CHECK (critical IN (0,1)),
  tags_json TEXT NOT NULL DEFAULT '{}',
  retired_at TEXT,
  created_at TEXT NOT NULL,
  UNIQUE (department, application, agent, environment)
) STRICT;

CREATE TABLE attribution_rules (
  id INTEGER PRIMARY KEY,
  workload_id INTEGER NOT NULL REFERENCES workloads(id) ON DELETE CASCADE,
  priority INTEGER NOT NULL DEFAULT 100,
  -- each match field is NULL (any) or a glob pattern (* and ?)
  provider TEXT,
  account_pattern TEXT,
  project_pattern TEXT,
  api_key_pattern TEXT,
  tag_key TEXT,
  tag_value_pattern TEXT,
  model_pattern TEXT,
  enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0,1)),
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE allocations (
  id INTEGER PRIMARY KEY,
  block_id INTEGER NOT NULL REFERENCES credit_blocks(id) ON DELETE CASCADE,
  workload_id INTEGER NOT NULL REFERENCES workloads(id) ON DELETE CASCADE,
  amount_micros INTEGER,
  -- basis points of the block amount (10000 = 100%)
  percent_bp INTEGER CHECK (percent_bp BETWEEN 0 AND 10000),
  created_at TEXT NOT NULL,
  CHECK ((amount_micros IS NULL) <> (percent_bp IS NULL)),
  UNIQUE (block_id, workload_id)
) STRICT;

CREATE TABLE usage_records (
  id INTEGER PRIMARY KEY,
  import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
  line INTEGER NOT NULL,
  -- content hash of the normalised row + its occurrence number among identical rows of its file
  row_key TEXT NOT NULL UNIQUE,
  provider TEXT NOT NULL,
  account_id INTEGER REFERENCES credit_accounts(id),
  billing_account_id TEXT,
  sub_account_id TEXT,
  sub_account_name TEXT,
  api_key TEXT,
  user_id TEXT,
  workload_id INTEGER REFERENCES workloads(id) ON DELETE SET NULL,
  charge_category TEXT NOT NULL CHECK (charge_category IN ('usage','purchase','tax','credit','adjustment')),
  charge_class TEXT CHECK (charge_class IS NULL OR charge_class = 'correction'),
  period_start TEXT NOT NULL,
  period_end TEXT,
  day TEXT NOT NULL,
  service_name TEXT,
  model_raw TEXT,
  model_id TEXT,
  model_known INTEGER NOT NULL DEFAULT 0 CHECK (model_known IN (0,1)),
  input_tokens INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  cache_read_tokens INTEGER NOT NULL DEFAULT 0,
  cache_write_tokens INTEGER NOT NULL DEFAULT 0,
  requests INTEGER,
  billed_cost_micros INTEGER,
  billed_cost_text TEXT,
  effective_cost_micros INTEGER,
  list_cost_micros INTEGER,
  catalog_cost_micros INTEGER,
  currency TEXT NOT NULL,
  pricing_currency TEXT,
  pricing_currency_cost_micros INTEGER,
  pricing_quantity_text TEXT,
  pricing_unit TEXT,
  tags_json TEXT,
  sku TEXT,
  region TEXT,
  resource_id TEXT,
  description TEXT
) STRICT;
CREATE INDEX usage_day ON usage_records(day);
CREATE INDEX usage_import ON usage_records(import_id);
CREATE INDEX usage_account_day ON usage_records(account_id, day);
CREATE INDEX usage_workload_day ON usage_records(workload_id, day);
CREATE INDEX usage_key_day ON usage_records(api_key, day);

CREATE TABLE price_catalog (
  id INTEGER PRIMARY KEY,
  provider TEXT NOT NULL,
  model_id TEXT NOT NULL,
  display_name TEXT,
  family TEXT,
  -- micros of USD per million tokens
  input_per_mtok_micros INTEGER NOT NULL,
  output_per_mtok_micros INTEGER NOT NULL,
  cache_read_per_mtok_micros INTEGER,
  cache_write_per_mtok_micros INTEGER,
  effective_from TEXT NOT NULL,
  effective_to TEXT,
  source TEXT NOT NULL,
  UNIQUE (provider, model_id, effective_from)
) STRICT;
CREATE INDEX price_catalog_model ON price_catalog(model_id);

CREATE TABLE invoices (
  id INTEGER PRIMARY KEY,
  import_id INTEGER REFERENCES imports(id) ON DELETE CASCADE,
  invoice_number TEXT NOT NULL,
  issuer TEXT,
  account_id INTEGER REFERENCES credit_accounts(id),
  billing_account_id TEXT,
  currency TEXT NOT NULL,
  issued_on TEXT,
  period_start TEXT,
  period_end TEXT,
  due_on TEXT,
  status TEXT,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX invoices_number ON invoices(invoice_number);

CREATE TABLE invoice_lines (
  id INTEGER PRIMARY KEY,
  invoice_id INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE,
  import_id INTEGER REFERENCES imports(id) ON DELETE CASCADE,
  line INTEGER NOT NULL,
  row_key TEXT NOT NULL UNIQUE,
  description TEXT,
  category TEXT NOT NULL CHECK (category IN ('usage','purchase','tax','credit','adjustment')),
  amount_micros INTEGER NOT NULL,
  amount_text TEXT NOT NULL,
  quantity_text TEXT,
  block_id INTEGER REFERENCES credit_blocks(id) ON DELETE SET NULL
) STRICT;

CREATE TABLE incidents (
  id INTEGER PRIMARY KEY,
  import_id INTEGER REFERENCES imports(id) ON DELETE CASCADE,
  source TEXT NOT NULL,
  external_id TEXT NOT NULL,
  title TEXT NOT NULL,
  type TEXT,
  severity TEXT,
  status TEXT,
  started_at TEXT,
  detected_at TEXT NOT NULL,
  resolved_at TEXT,
  created_at TEXT NOT NULL,
  UNIQUE (source, external_id)
) STRICT;

CREATE TABLE incident_targets (
  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('api_key','workload','account')),
  value TEXT NOT NULL,
  PRIMARY KEY (incident_id, kind, value)
) STRICT;

CREATE TABLE thresholds (
  id INTEGER PRIMARY KEY,
  scope_kind TEXT NOT NULL CHECK (scope_kind IN ('block','workload','account')),
  scope_id INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('percent-consumed','runway-days','expiring','burn-spike')),
  -- percent (0-100) / days / ratio×100, by kind
  value INTEGER NOT NULL,
  -- for 'expiring': fire only when more than this is unused
  min_unused_micros INTEGER,
  action TEXT NOT NULL DEFAULT 'alert' CHECK (action IN ('alert','throttle','stop')),
  safety_margin_days INTEGER NOT NULL DEFAULT 0,
  enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0,1)),
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE alerts (
  id INTEGER PRIMARY KEY,
  threshold_id INTEGER REFERENCES thresholds(id) ON DELETE CASCADE,
  scope_kind TEXT NOT NULL,
  scope_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  -- the period the alert belongs to (YYYY-MM, or the block id for one-shot thresholds)
  period TEXT NOT NULL,
  fired_on TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('info','warning','critical')),
  message TEXT NOT NULL,
  acknowledged_by INTEGER REFERENCES profiles(id),
  acknowledged_at TEXT,
  UNIQUE (threshold_id, scope_kind, scope_id, kind, period)
) STRICT;

CREATE TABLE topup_requests (
  id INTEGER PRIMARY KEY,
  requester_id INTEGER NOT NULL REFERENCES profiles(id),
  account_id INTEGER NOT NULL REFERENCES credit_accounts(id),
  block_id INTEGER REFERENCES credit_blocks(id),
  workload_id INTEGER REFERENCES workloads(id),
  kind TEXT NOT NULL DEFAULT 'top-up' CHECK (kind IN ('top-up','renewal')),
  amount_micros INTEGER NOT NULL CHECK (amount_micros > 0),
  currency TEXT NOT NULL,
  reason TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending','approved','rejected')),
  decided_by INTEGER REFERENCES profiles(id),
  decided_at TEXT,
  decision_note TEXT,
  created_block_id INTEGER REFERENCES credit_blocks(id),
  created_at TEXT NOT NULL,
  -- separation of duties, enforced by the database as well as the handler
  CHECK (decided_by IS NULL OR decided_by <> requester_id)
) STRICT;

CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id TEXT,
  details_json TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

CREATE TABLE scenarios (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  body_json TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE value_metrics (
  id INTEGER PRIMARY KEY,
  workload_id INTEGER NOT NULL REFERENCES workloads(id) ON DELETE CASCADE,
  period TEXT NOT NULL,
  metric TEXT NOT NULL,
  units INTEGER NOT NULL,
  value_per_unit_micros INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (workload_id, period, metric)
) STRICT;

CREATE TABLE reconciliation_signoffs (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES credit_accounts(id),
  period TEXT NOT NULL,
  signed_by INTEGER NOT NULL REFERENCES profiles(id),
  signed_at TEXT NOT NULL,
  note TEXT,
  UNIQUE (account_id, period)
) STRICT;
`;
