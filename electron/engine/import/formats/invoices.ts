/**
 * Invoice lines: the FOCUS 1.4 draft InvoiceDetail dataset, Stripe-style invoice rows (amounts
 * in minor units, epoch dates) and Xero-style lines (dd/MM/yyyy dates, Quantity × UnitAmount).
 */
import type { ChargeCategory, InvoiceLineRecord } from '../../../../shared/domain';
import { parseDecimal, formatScaled } from '../../../../shared/money';
import { Columns, RowReader, chargeCategory, cleanAmount, info, short, textToMicros, type FormatDef } from './common';

function invoiceLine(line: number, invoiceNumber: string, currency: string, amountMicros: number, amountText: string): InvoiceLineRecord {
  return {
    line,
    invoiceNumber,
    issuer: null,
    billingAccountId: null,
    currency,
    issuedOn: null,
    periodStart: null,
    periodEnd: null,
    dueOn: null,
    status: null,
    description: null,
    category: 'purchase',
    amountMicros,
    amountText,
    quantityText: null,
  };
}

export const invoiceFocus: FormatDef = {
  info: info('invoice-focus', 'FOCUS invoice detail', 'invoice'),
  required: [['InvoiceDetailId'], ['InvoiceId'], ['BilledCost']],
  prepare(headers, opts) {
    const c = new Columns(headers);
    const ix = {
      billed: c.idx('BilledCost'),
      account: c.idx('BillingAccountId'),
      currency: c.idx('BillingCurrency'),
      periodStart: c.idx('BillingPeriodStart'),
      periodEnd: c.idx('BillingPeriodEnd'),
      category: c.idx('ChargeCategory'),
      description: c.idx('InvoiceDetailDescription', 'ChargeDescription'),
      detailId: c.idx('InvoiceDetailId'),
      invoiceId: c.idx('InvoiceId'),
      issued: c.idx('InvoiceIssueDate'),
      status: c.idx('InvoiceIssueStatus'),
      issuer: c.idx('InvoiceIssuerName'),
      due: c.idx('PaymentDueDate'),
      quantity: c.idx('PricingQuantity', 'Quantity'),
    };
    const r = new RowReader(c, opts);
    return (cells, line) => {
      r.reset(cells, line);
      const number = r.need(ix.invoiceId, 'an invoice id');
      const amount = r.amount(ix.billed, true);
      const currency = r.currency(ix.currency, null);
      const catText = r.t(ix.category);
      let category: ChargeCategory = 'purchase';
      if (catText !== null) {
        const cat = chargeCategory(catText);
        if (cat) category = cat;
        else r.fail(ix.category, `${c.name(ix.category)}: expected Usage, Purchase, Tax, Credit or Adjustment, found "${short(catText)}"`);
      }
      const issuedOn = r.day(ix.issued);
      const periodStart = r.day(ix.periodStart);
      const periodEnd = r.day(ix.periodEnd);
      const dueOn = r.day(ix.due);
      return r.result(() => {
        const rec = invoiceLine(line, number!, currency!, amount!.micros, amount!.text);
        rec.issuer = r.s(ix.issuer);
        rec.billingAccountId = r.s(ix.account);
        rec.issuedOn = issuedOn;
        rec.periodStart = periodStart;
        rec.periodEnd = periodEnd;
        rec.dueOn = dueOn;
        rec.status = r.s(ix.status);
        rec.description = r.s(ix.description) ?? r.s(ix.detailId);
        rec.category = category;
        rec.quantityText = r.t(ix.quantity);
        return { kind: 'invoice', record: rec };
      });
    };
  },
};

/** ISO 4217 currencies without minor units (Stripe's zero-decimal currencies). */
const ZERO_DECIMAL = new Set(['BIF', 'CLP', 'DJF', 'GNF', 'JPY', 'KMF', 'KRW', 'MGA', 'PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF']);

export const invoiceStripe: FormatDef = {
  info: info('invoice-stripe', 'Stripe invoices', 'invoice'),
  required: [['id'], ['number'], ['amount_paid', 'total'], ['period_start']],
  prepare(headers, opts) {
    const c = new Columns(headers);
    const ix = {
      id: c.idx('id'),
      number: c.idx('number'),
      created: c.idx('created'),
      currency: c.idx('currency'),
      total: c.idx('total'),
      paid: c.idx('amount_paid'),
      status: c.idx('status'),
      periodStart: c.idx('period_start'),
      periodEnd: c.idx('period_end'),
      due: c.idx('due_date'),
      description: c.idx('description'),
      customer: c.idx('customer', 'customer_id'),
      account: c.idx('account_name', 'account'),
    };
    const r = new RowReader(c, opts);
    return (cells, line) => {
      r.reset(cells, line);
      const number = r.first(ix.number, ix.id);
      if (number === null) r.fail(ix.number, 'number: expected an invoice number or id, found an empty cell');
      const currency = r.currency(ix.currency, null);
      const exponent = currency !== null && ZERO_DECIMAL.has(currency) ? 0 : 2;
      const amountIx = r.t(ix.total) !== null ? ix.total : ix.paid;
      const amount = r.amount(amountIx, true, exponent);
      const issuedOn = r.day(ix.created);
      const periodStart = r.day(ix.periodStart);
      const periodEnd = r.day(ix.periodEnd);
      const dueOn = r.day(ix.due);
      return r.result(() => {
        const rec = invoiceLine(line, number!.trim(), currency!, amount!.micros, amount!.text);
        rec.issuer = r.s(ix.account);
        rec.billingAccountId = r.s(ix.customer);
        rec.issuedOn = issuedOn;
        rec.periodStart = periodStart;
        rec.periodEnd = periodEnd;
        rec.dueOn = dueOn;
        rec.status = r.s(ix.status);
        rec.description = r.s(ix.description);
        return { kind: 'invoice', record: rec };
      });
    };
  },
};

/** a × b exactly as decimal text ("3" × "12.50" → "37.50"). */
function multiplyText(a: string, b: string): string | null {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  if (!x || !y) return null;
  return formatScaled(x.units * y.units, x.scale + y.scale);
}

export const invoiceXero: FormatDef = {
  info: info('invoice-xero', 'Xero invoice lines', 'invoice'),
  required: [['ContactName'], ['InvoiceNumber'], ['UnitAmount', 'LineAmount']],
  prepare(headers, opts) {
    const c = new Columns(headers);
    const ix = {
      contact: c.idx('ContactName'),
      number: c.idx('InvoiceNumber'),
      reference: c.idx('Reference'),
      date: c.idx('InvoiceDate'),
      due: c.idx('DueDate'),
      description: c.idx('Description'),
      quantity: c.idx('Quantity'),
      unitAmount: c.idx('UnitAmount'),
      lineAmount: c.idx('LineAmount'),
      currency: c.idx('Currency'),
      status: c.idx('Status'),
    };
    const r = new RowReader(c, { ...opts, dateFormat: opts?.dateFormat && opts.dateFormat !== 'auto' ? opts.dateFormat : 'dmy' });
    return (cells, line) => {
      r.reset(cells, line);
      const number = r.need(ix.number, 'an invoice number');
      const currency = r.currency(ix.currency, null);
      let amount: { micros: number; text: string } | null = null;
      if (r.t(ix.lineAmount) !== null) amount = r.amount(ix.lineAmount, true);
      else {
        const unit = r.t(ix.unitAmount);
        const qty = r.t(ix.quantity) ?? '1';
        const u = unit === null ? null : cleanAmount(unit, r.sep);
        const q = cleanAmount(qty, r.sep);
        if (unit === null) r.fail(ix.unitAmount, `${c.name(ix.unitAmount)}: expected an amount, found an empty cell`);
        else if (u === null) r.fail(ix.unitAmount, `${c.name(ix.unitAmount)}: expected a decimal amount like 12.34, found "${short(unit)}"`);
        else if (q === null) r.fail(ix.quantity, `${c.name(ix.quantity)}: expected a quantity, found "${short(qty)}"`);
        else {
          const text = multiplyText(q, u);
          const micros = text === null ? null : textToMicros(text);
          if (text === null || micros === null) r.fail(ix.unitAmount, `${c.name(ix.unitAmount)}: the amount is out of range`);
          else amount = { micros, text };
        }
      }
      const issuedOn = r.day(ix.date);
      const dueOn = r.day(ix.due);
      return r.result(() => {
        const rec = invoiceLine(line, number!, currency!, amount!.micros, amount!.text);
        rec.issuer = r.s(ix.contact);
        rec.issuedOn = issuedOn;
        rec.dueOn = dueOn;
        rec.status = r.s(ix.status);
        rec.description = r.s(ix.description);
        rec.quantityText = r.t(ix.quantity);
        return { kind: 'invoice', record: rec };
      });
    };
  },
};
