import { test, expect, ready, cli, SCREENSHOTS } from './fixtures';
import { displayMoney } from '../../shared/money';
import path from 'node:path';

test('the dashboard shows the demo organisation: balances, burn-down chart and the same totals as stats', async ({ page, demoServer }) => {
  await page.goto(demoServer.url);
  await ready(page, 'dashboard');
  await expect(page.getByRole('heading', { name: /Dashboard/ })).toBeVisible();
  // the token left the address bar
  expect(page.url()).not.toContain('token=');

  const blocks = page.getByRole('table', { name: 'Credit block balances' }).locator('tbody tr');
  expect(await blocks.count()).toBeGreaterThanOrEqual(4);
  await expect(page.getByRole('img', { name: /Burn-down/ })).toBeVisible();

  // the numbers on the dashboard are the numbers of `drawdown stats`
  const stats = JSON.parse(cli(['stats', '--db', demoServer.dbPath, '--json']).stdout) as {
    groups: { provider: string; currency: string; chargeCategory: string; billedCostMicros: number }[];
  };
  const byProvider = new Map<string, number>();
  for (const g of stats.groups) byProvider.set(`${g.provider}-${g.currency}`, (byProvider.get(`${g.provider}-${g.currency}`) ?? 0) + g.billedCostMicros);
  expect(byProvider.size).toBeGreaterThanOrEqual(3);
  for (const [key, micros] of byProvider) {
    await expect(page.getByTestId(`spend-${key}`).locator('td').last()).toHaveText(displayMoney(micros, key.split('-').pop()));
  }
  await page.screenshot({ path: path.join(SCREENSHOTS, 'dashboard-demo.png'), fullPage: true });
});

test('an empty database leads to the demo, and the demo loads from the dashboard', async ({ page, server }) => {
  await page.goto(server.url);
  await ready(page, 'dashboard');
  await expect(page.getByRole('heading', { name: 'Welcome to Drawdown' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Import exports…' })).toBeVisible();
  await page.getByRole('button', { name: 'Load demo data' }).click();
  await expect(page.getByRole('table', { name: 'Credit block balances' })).toBeVisible({ timeout: 30_000 });
});

test('every screen is reachable from the keyboard', async ({ page, demoServer }) => {
  await page.goto(demoServer.url);
  await ready(page, 'dashboard');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Dashboard' }).focus();
  for (const name of ['Import', 'Credits', 'Workloads', 'Alerts', 'Approvals', 'Controls', 'Scenarios', 'Reconciliation', 'Incidents', 'Reports', 'Settings']) {
    await page.keyboard.press('Tab');
    await expect(nav.getByRole('button', { name, exact: true })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(nav.getByRole('button', { name, exact: true })).toHaveAttribute('aria-current', 'page');
    await expect(page.getByRole('heading', { level: 1 })).toContainText(name);
    await nav.getByRole('button', { name, exact: true }).focus();
  }
});
