import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, ready, SCREENSHOTS } from './fixtures';

const FROM = '2026-08-26';
const TO = '2026-11-24';

/** The Reports screen as a user drives it. */
class ReportsScreen {
  constructor(private page: Page) {}
  async open(url: string) {
    await this.page.goto(`${url}#/reports`);
    await ready(this.page, 'reports');
  }
  async choose(report: string, from: string, to: string) {
    await this.page.getByLabel('Report', { exact: true }).selectOption(report);
    await this.page.getByLabel('From', { exact: true }).fill(from);
    await this.page.getByLabel('To', { exact: true }).fill(to);
    await this.page.getByRole('button', { name: 'Set period' }).click();
  }
  async exportPdf(file: string) {
    const [download] = await Promise.all([this.page.waitForEvent('download', { timeout: 60_000 }), this.page.getByRole('button', { name: 'Export PDF' }).click()]);
    await download.saveAs(file);
    return download.suggestedFilename();
  }
}

const REPORTS = [
  { report: 'reconciliation', title: 'Reconciliation', expect: /Per period and credit account/ },
  { report: 'incidents', title: 'Incident correlation', expect: /INC-2026-0412/ },
  { report: 'forecast', title: 'Burn forecast', expect: /Credit accounts/ },
  { report: 'summary', title: 'Executive summary', expect: /Findings/ },
];

for (const r of REPORTS) {
  test(`exports the ${r.title} report to PDF from the Reports screen and renders page 1`, async ({ page, demoServer }) => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const screen = new ReportsScreen(page);
    await screen.open(demoServer.url);
    await screen.choose(r.report, FROM, TO);
    const file = test.info().outputPath(`report-${r.report}.pdf`);
    expect(await screen.exportPdf(file)).toBe(`drawdown-${r.report}-${FROM}-${TO}.pdf`);
    await expect(page.getByRole('status').filter({ hasText: 'PDF saved' })).toBeVisible();
    expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain(r.title);
    expect(text).toMatch(r.expect);
    expect(text).toMatch(/Page 1 of \d+/);
    // page 1 as a picture, for the eye: screenshots/report-<name>.png
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', file, path.join(SCREENSHOTS, `report-${r.report}`)]);
    expect(fs.existsSync(path.join(SCREENSHOTS, `report-${r.report}.png`))).toBe(true);
  });
}

test('previews a report and downloads a CSV table with a byte order mark', async ({ page, demoServer }) => {
  const screen = new ReportsScreen(page);
  await screen.open(demoServer.url);
  await screen.choose('incidents', FROM, TO);
  await page.getByRole('button', { name: 'Preview' }).click();
  const preview = page.locator('.report-preview');
  await expect(preview.getByRole('heading', { name: 'Incident correlation' })).toBeVisible();
  await expect(preview.getByTestId('detection-lag')).toHaveText('9 h');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'reports-preview.png') });
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV unexplained' }).click()]);
  const csv = fs.readFileSync((await download.path())!, 'utf8');
  expect(csv.startsWith('\uFEFF"series"')).toBe(true);
  expect(csv).toContain('sk-ant-api03-...mK3x');
});

test('the Incidents screen shows the leaked key’s lag and the spike nobody recorded', async ({ page, demoServer }) => {
  await page.goto(`${demoServer.url}#/incidents`);
  await ready(page, 'incidents');
  const row = page.getByTestId('incident-INC-2026-0412');
  await expect(row).toContainText('2026-09-24 02:00 UTC');
  await expect(row).toContainText('9 h');
  await expect(page.getByRole('img', { name: /Hourly spend against baseline during INC-2026-0412/ })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Spikes without an incident' }).locator('tbody tr')).toHaveCount(1);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'incidents-demo.png'), fullPage: true });
});

test('the Reconciliation screen signs a period off for the signed-in analyst', async ({ page, demoServer }) => {
  await page.goto(`${demoServer.url}#/reconciliation`);
  await ready(page, 'reconciliation');
  const row = page.getByRole('table', { name: 'Reconciliation per period and account' }).locator('tbody tr').first();
  await expect(row).toBeVisible();
  await page.getByLabel('Sign-off note').fill('Reviewed with finance');
  await row.getByRole('button', { name: /^Sign off/ }).click();
  await expect(row).toContainText('Ada Analyst');
  await expect(page.getByRole('table', { name: 'Variances' })).toContainText('usage-without-invoice');
  await page.screenshot({ path: path.join(SCREENSHOTS, 'reconciliation-demo.png'), fullPage: true });
});
