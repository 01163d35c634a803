import { test, expect, ready, cli, SCREENSHOTS, SHARED_DATA } from './fixtures';
import fs from 'node:fs';
import path from 'node:path';

const HEADER =
  'start_time,end_time,start_time_iso,end_time_iso,project_id,num_model_requests,user_id,api_key_id,model,batch,service_tier,input_tokens,output_tokens,input_cached_tokens,input_uncached_tokens,input_text_tokens,output_text_tokens,input_cached_text_tokens,input_audio_tokens,input_cached_audio_tokens,output_audio_tokens,input_image_tokens,input_cached_image_tokens,output_image_tokens';

/** An OpenAI usage export big enough that the import takes a few seconds and the progress bar shows. */
function writeOpenAiExport(file: string, rows: number): void {
  const out = fs.openSync(file, 'w');
  fs.writeSync(out, HEADER + '\n');
  const start = Date.UTC(2026, 0, 1) / 1000;
  let chunk: string[] = [];
  for (let i = 0; i < rows; i++) {
    const t = start + (i % 8760) * 3600;
    const iso = new Date(t * 1000).toISOString().replace('.000Z', '+00:00');
    const iso2 = new Date((t + 3600) * 1000).toISOString().replace('.000Z', '+00:00');
    const inp = 1000 + (i % 997);
    const cached = i % 300;
    chunk.push(`${t},${t + 3600},${iso},${iso2},proj_${i % 7},${1 + (i % 5)}.0,user_${i % 13},key_${i % 40},gpt-4o-mini,FALSE,default,${inp}.0,${200 + (i % 89)}.0,${cached}.0,${inp - cached}.0,${inp}.0,${200 + (i % 89)}.0,${cached}.0,0.0,0.0,0.0,0.0,0.0,0.0`);
    if (chunk.length === 5000) {
      fs.writeSync(out, chunk.join('\n') + '\n');
      chunk = [];
    }
  }
  if (chunk.length) fs.writeSync(out, chunk.join('\n') + '\n');
  fs.closeSync(out);
}

test('import a file through the UI: preview, visible progress, result, history, undo', async ({ page, server }) => {
  const file = path.join(server.dir, 'openai-usage-2026.csv');
  writeOpenAiExport(file, 250_000);
  await page.goto(server.url);
  await ready(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Import' }).click();
  await ready(page, 'import');

  await page.getByTestId('file-input').setInputFiles(file);
  const card = page.getByRole('region', { name: 'Import of openai-usage-2026.csv' });
  await expect(card.getByLabel('Format')).toHaveValue('openai-usage');
  await expect(card.getByTestId('preview-counts')).toContainText('20 new, 0 duplicate, 0 rejected');
  await expect(card.getByRole('table', { name: 'Preview of openai-usage-2026.csv' })).toContainText('gpt-4o-mini');

  await card.getByRole('button', { name: 'Import openai-usage-2026.csv' }).click();
  const bar = card.getByRole('progressbar', { name: 'Import progress' });
  await expect(bar).toBeVisible();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'import-progress.png') });
  await expect(card.getByTestId('import-result')).toContainText('Imported 250,000 rows', { timeout: 120_000 });

  const history = page.getByRole('table', { name: 'Import history' });
  await expect(history).toContainText('openai-usage-2026.csv');
  const stats = JSON.parse(cli(['stats', '--db', server.dbPath, '--json']).stdout);
  expect(stats.usageRows).toBe(250_000);

  page.once('dialog', (d) => void d.accept());
  await history.getByRole('button', { name: /Undo import 1/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Undid openai-usage-2026.csv' })).toContainText('removed 250000 usage rows', { timeout: 90_000 });
  await expect(history).toContainText('undone');
  expect(JSON.parse(cli(['stats', '--db', server.dbPath, '--json']).stdout).usageRows).toBe(0);
});

test('re-importing the same FOCUS file adds nothing and names the earlier import', async ({ page, server }) => {
  const focus = path.join(SHARED_DATA, 'focus-sample', 'focus_sample_1.0.csv');
  await page.goto(server.url + '#/import');
  await ready(page, 'import');
  await page.getByTestId('file-input').setInputFiles(focus);
  let card = page.getByRole('region', { name: 'Import of focus_sample_1.0.csv' }).first();
  await card.getByRole('button', { name: 'Import focus_sample_1.0.csv' }).click();
  await expect(card.getByTestId('import-result')).toContainText('Imported 1,000 rows');

  await page.getByTestId('file-input').setInputFiles(focus);
  card = page.getByRole('region', { name: 'Import of focus_sample_1.0.csv' }).nth(1);
  await expect(card).toContainText('This exact file was imported before as #1');
  await expect(card.getByTestId('preview-counts')).toContainText('0 new, 20 duplicate');
  await card.getByRole('button', { name: 'Import focus_sample_1.0.csv' }).click();
  await expect(card.getByTestId('import-result')).toContainText(/#1/);
  await expect(card.getByTestId('import-result')).toContainText('0 imported');
});
