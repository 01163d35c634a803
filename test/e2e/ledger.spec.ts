import path from 'node:path';
import { test, expect, ready, cli, SCREENSHOTS } from './fixtures';
import { displayMoney } from '../../shared/money';
import type { Page } from '@playwright/test';

/** Page object of the ledger screens: navigation, the sidebar profile switcher, and the top-up flow. */
class Console {
  constructor(private readonly page: Page) {}

  async open(screen: string, label: string) {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: label, exact: true }).click();
    await ready(this.page, screen);
  }

  async signIn(name: string) {
    const select = this.page.getByLabel('Signed in as');
    const option = select.locator('option', { hasText: name });
    await select.selectOption(await option.getAttribute('value'));
    await expect(this.page.getByTestId('signed-in')).toContainText(`Signed in as ${name}`);
  }

  async requestTopup(amount: string, reason: string) {
    const form = this.page.getByRole('form', { name: 'Top-up request' });
    await form.getByLabel('Credit account').selectOption({ label: 'OpenAI — shared production org' });
    await form.getByLabel(/^Amount/).fill(amount);
    await form.getByLabel('Reason').fill(reason);
    await form.getByRole('button', { name: 'Send request' }).click();
    await expect(form.getByRole('status')).toContainText(/Request \d+ sent/);
    return Number(/Request (\d+) sent/.exec((await form.getByRole('status').textContent())!)![1]);
  }

  pending(id: number) {
    return this.page.getByTestId(`pending-${id}`);
  }
}

function openaiRemaining(dbPath: string): number {
  const l = JSON.parse(cli(['ledger', '--db', dbPath, '--json']).stdout) as { accounts: { name: string; remainingMicros: number }[] };
  return l.accounts.find((a) => a.name.startsWith('OpenAI'))!.remainingMicros;
}

test('top-up: an owner requests, cannot approve their own request, another profile approves and the balance grows', async ({ page, demoServer }) => {
  const c = new Console(page);
  await page.goto(demoServer.url);
  await ready(page, 'dashboard');
  const before = openaiRemaining(demoServer.dbPath);

  await c.open('approvals', 'Approvals');
  await c.signIn('Omar Owner');
  const id = await c.requestTopup('5000', 'Helpdesk Copilot needs runway through Q1 after the leaked-key incident.');
  const card = c.pending(id);
  await expect(card.getByRole('button', { name: 'Approve' })).toBeDisabled();
  await expect(card.getByTestId('cannot-decide')).toHaveText('You requested this top-up: someone else must approve or reject it.');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'ledger-approvals-requester.png'), fullPage: true });

  // the engine refuses anyway when the requester calls the API directly
  const direct = await page.request.post(`${demoServer.origin}/api/topup-decide`, {
    headers: { Authorization: `Bearer ${demoServer.token}` },
    data: { id, decision: 'approve' },
  });
  const refused = (await direct.json()) as { ok: boolean; error: { code: string; message: string } };
  expect(refused.ok).toBe(false);
  expect(refused.error.message).toMatch(/Omar Owner cannot decide top-up request \d+: You requested this top-up/);

  await c.signIn('Felix Finance');
  await expect(c.pending(id).getByRole('button', { name: 'Approve' })).toBeEnabled();
  await c.pending(id).getByLabel(`Decision note for request ${id}`).fill('Within the Q1 budget');
  await c.pending(id).getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByTestId(`decided-${id}`)).toContainText('approved');
  await expect(page.getByTestId(`decided-${id}`)).toContainText('Felix Finance');
  await expect(c.pending(id)).toHaveCount(0);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'ledger-approvals.png'), fullPage: true });

  await c.open('credits', 'Credits');
  const openai = page.getByRole('table', { name: 'Credit accounts' }).locator('tr', { hasText: 'OpenAI — shared production org' });
  await expect(openai.getByTestId('account-remaining')).toHaveText(displayMoney(before + 5_000_000_000));
  await expect(page.getByRole('table', { name: 'Credit blocks' }).locator('tr', { hasText: `Top-up #${id}` })).toContainText('top-up');
  expect(cli(['audit', 'verify', '--db', demoServer.dbPath]).status).toBe(0);
});

test('the ledger screens render the demo: credits with burn-down, workloads and rules, alerts, controls, settings', async ({ page, demoServer }) => {
  const c = new Console(page);
  await page.goto(demoServer.url);
  await ready(page, 'dashboard');
  await expect(page.locator('[data-kind="alert"]', { hasText: '2026-09-24' })).toBeVisible();

  await c.open('credits', 'Credits');
  const blocks = page.getByRole('table', { name: 'Credit blocks' });
  await expect(blocks.locator('tr', { hasText: 'Anthropic promotional credit 2026-09' })).toContainText('2026-12-15');
  await expect(page.getByRole('img', { name: /Burn-down of account OpenAI/ })).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'ledger-credits.png'), fullPage: true });
  await blocks.getByRole('button', { name: 'Burn-down of Anthropic promotional credit 2026-09' }).click();
  await expect(page.getByRole('img', { name: /Burn-down of credit block Anthropic promotional credit 2026-09/ })).toBeVisible();
  await page.getByRole('img', { name: /Burn-down of credit block/ }).screenshot({ path: path.join(SCREENSHOTS, 'ledger-credits-block-chart.png') });

  await c.open('workloads', 'Workloads');
  await expect(page.getByRole('list', { name: 'Workloads by department and application' })).toContainText('image-captioner');
  await expect(page.getByTestId('rules-preview-summary')).toContainText('Unattributed');
  await page.getByRole('button', { name: 'Add rule' }).click();
  const rows = page.getByRole('table', { name: 'Attribution rules' }).locator('tbody tr');
  const n = await rows.count();
  await page.getByLabel(`Rule ${n} Project`, { exact: true }).fill('proj_shared_sandbox');
  await expect(rows.nth(n - 1).getByTestId('matched')).not.toHaveText('$0.00');
  await expect(page.getByTestId('rules-preview-summary')).toContainText('$0.00 of');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'ledger-workloads.png'), fullPage: true });

  await c.open('alerts', 'Alerts');
  await expect(page.getByRole('table', { name: 'Alerts' })).toContainText('2026-09-24');
  await expect(page.getByTestId('depletion-enforcing').first()).toContainText('The stop rule would have cut Engineering › Code Review Bot off');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'ledger-alerts.png'), fullPage: true });

  await c.open('controls', 'Controls');
  await expect(page.getByTestId('control-owner-of-record')).toContainText('image-captioner has no owner');
  await expect(page.getByTestId('audit-status')).toContainText('intact');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'ledger-controls.png'), fullPage: true });

  await c.open('settings', 'Settings');
  await page.getByRole('button', { name: 'Sign in as Sara Security' }).click();
  await expect(page.getByTestId('profile-5')).toContainText('Signed in');
  await expect(page.getByLabel('Signed in as')).toHaveValue('5');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'ledger-settings.png'), fullPage: true });
});
