import { defineConfig } from '@playwright/test';
import path from 'node:path';
import os from 'node:os';

// Debian's Chromium: Playwright cannot download its own browsers on these machines.
export default defineConfig({
  testDir: 'test/e2e',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  workers: 2,
  fullyParallel: true,
  reporter: [['list'], ['json', { outputFile: process.env.PW_JSON ?? path.join(os.tmpdir(), 'drawdown-playwright.json') }]],
  use: {
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-quic', '--no-first-run', '--disable-sync'],
    },
    viewport: { width: 1360, height: 900 },
    screenshot: 'only-on-failure',
  },
  outputDir: 'test-results',
});
