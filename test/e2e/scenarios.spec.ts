import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { test, expect, ready, SCREENSHOTS } from './fixtures';

/** Page object of the Scenarios screen: what a user does there, in the words on the screen. */
class ScenariosPage {
  constructor(readonly page: Page) {}

  async open(url: string) {
    await this.page.goto(`${url}#/scenarios`);
    await ready(this.page, 'scenarios');
    await expect(this.page.getByRole('heading', { level: 1 })).toContainText('Scenarios');
  }

  lever(n: number) {
    return this.page.getByRole('group', { name: new RegExp(`^Lever ${n}:`) });
  }

  async newScenario(name: string) {
    await this.page.getByRole('button', { name: 'New scenario' }).click();
    await this.page.getByLabel('Name', { exact: true }).fill(name);
  }

  async addLever(kind: string) {
    await this.page.getByLabel('Lever', { exact: true }).selectOption({ label: kind });
    await this.page.getByRole('button', { name: 'Add lever' }).click();
  }

  async save() {
    await this.page.getByRole('button', { name: 'Save scenario' }).click();
  }

  row(name: string) {
    return this.page.getByRole('table', { name: 'Saved scenarios' }).getByRole('row').filter({ hasText: name });
  }
}

test('builds a scenario from levers, runs it against the baseline and sees the comparison charts', async ({ page, demoServer }) => {
  const s = new ScenariosPage(page);
  await s.open(demoServer.url);
  // the backtest and the recommendation are on the screen from the start
  await expect(page.getByRole('table', { name: 'Backtest errors, all workloads' })).toBeVisible();
  await expect(page.getByTestId('backtest-model')).toContainText('%');
  await expect(page.getByRole('article', { name: /Recommendation for/ })).toHaveCount(3);

  // a model swap: Code Review Bot from Sonnet 4.5 to Opus 4.5, all traffic, from the first forecast day
  await s.newScenario('Review bot on Opus');
  await s.addLever('Model swap');
  const swap = s.lever(1);
  await swap.getByLabel('Workload').selectOption({ label: 'Engineering › Code Review Bot' });
  await swap.getByLabel('From model').selectOption('claude-sonnet-4-5');
  await swap.getByLabel('To model').selectOption('claude-opus-4-5');
  await swap.getByLabel('Share of traffic (%)').fill('100');
  // and a surge of the Support department, doubling over two weeks
  await s.addLever('Volume surge');
  const surge = s.lever(2);
  await surge.getByLabel('Applies to').selectOption('department');
  await surge.getByLabel('Department').selectOption('Support');
  await surge.getByLabel('Ramp (days)').fill('14');
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.getByRole('region', { name: 'New scenario' }).screenshot({ path: path.join(SCREENSHOTS, 'scenarios-editor.png') });
  await s.save();
  await expect(s.row('Review bot on Opus')).toContainText('100% claude-sonnet-4-5 → claude-opus-4-5');
  // saving picks the new scenario for the comparison
  await expect(page.getByRole('checkbox', { name: 'Compare Review bot on Opus' })).toBeChecked();

  // run it from the keyboard, with fewer paths to keep the test quick
  await page.getByLabel('Monte Carlo paths').fill('1000');
  const run = page.getByRole('button', { name: /Run baseline \+ 1 scenario/ });
  await run.focus();
  await page.keyboard.press('Enter');
  const comparison = page.getByRole('region', { name: 'Comparison with the baseline' });
  await expect(comparison).toBeVisible({ timeout: 60_000 });
  await ready(page, 'scenarios');

  // fan charts side by side, the depletion distribution, waste and overage, the table of deltas
  await comparison.getByLabel('Credit block shown in the charts').selectOption({ label: 'Anthropic prepaid 2026-04' });
  await expect(comparison.getByRole('img', { name: 'Fan chart: Anthropic prepaid 2026-04, Baseline' })).toBeVisible();
  await expect(comparison.getByRole('img', { name: 'Fan chart: Anthropic prepaid 2026-04, Review bot on Opus' })).toBeVisible();
  await expect(comparison.getByRole('img', { name: /Depletion date distribution/ })).toBeVisible();
  // the distribution itself: paths per week in which the block runs dry, baseline and scenario side by side
  await expect(comparison.getByRole('heading', { name: 'Depletion dates of Anthropic prepaid 2026-04 by week' })).toBeVisible();
  const histogram = comparison.getByRole('img', { name: /^Depletion dates by week of Anthropic prepaid 2026-04/ });
  await expect(histogram).toBeVisible();
  expect((await histogram.boundingBox())?.height).toBeGreaterThan(150);
  await expect(comparison.getByRole('img', { name: 'Expected waste and overage per run' })).toBeVisible();
  const deltas = page.getByRole('table', { name: 'Change against the baseline' });
  await expect(deltas.getByRole('row').filter({ hasText: 'Anthropic prepaid 2026-04' })).toContainText(/days? earlier/);
  await expect(page.getByRole('table', { name: 'Outcome per run' })).toContainText('Review bot on Opus');

  await page.screenshot({ path: path.join(SCREENSHOTS, 'scenarios.png'), fullPage: true });

  // the comparison is as accessible as the rest of the screen (WCAG A/AA: no serious or critical violation)
  const axe = await new AxeBuilder({ page }).include('main').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`)).toEqual([]);
});

test('exports a scenario to JSON and loads it back, and explains a file that is not a scenario', async ({ page, demoServer }) => {
  const s = new ScenariosPage(page);
  await s.open(demoServer.url);
  await s.newScenario('Top-up in January');
  await s.addLever('Top-up');
  await s.lever(1).getByLabel('Day').fill('2027-01-15');
  await s.lever(1).getByLabel('Amount ($)').fill('5000');
  await s.save();
  await expect(s.row('Top-up in January')).toContainText('$5,000.00');

  const [download] = await Promise.all([page.waitForEvent('download'), s.row('Top-up in January').getByRole('button', { name: /^Export/ }).click()]);
  expect(download.suggestedFilename()).toBe('Top-up-in-January.scenario.json');
  const json = fs.readFileSync(await download.path(), 'utf8');
  expect(JSON.parse(json)).toMatchObject({ name: 'Top-up in January', levers: [{ kind: 'top-up', day: '2027-01-15', amountMicros: 5_000_000_000 }] });

  const input = page.getByLabel('Load a scenario from a JSON file');
  await input.setInputFiles({ name: 'top-up.json', mimeType: 'application/json', buffer: Buffer.from(json) });
  await expect(page.getByRole('status')).toContainText('Loaded “Top-up in January (imported)”');
  await expect(s.row('Top-up in January (imported)')).toBeVisible();

  await input.setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"name":"x","levers":[{"kind":"surge"}]}') });
  await expect(page.getByRole('alert')).toContainText('not a Drawdown scenario');

  // delete asks for a confirmation first
  await s.row('Top-up in January (imported)').getByRole('button', { name: /^Delete/ }).click();
  await s.row('Top-up in January (imported)').getByRole('button', { name: /^Confirm delete/ }).click();
  await expect(s.row('Top-up in January (imported)')).toHaveCount(0);
});
