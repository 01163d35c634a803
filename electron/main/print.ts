import { BrowserWindow, dialog, type IpcMain, type IpcMainInvokeEvent } from 'electron';
import fs from 'node:fs';
import type { Engine } from '../engine/engine';
import { APP_ORIGIN, printWindowOptions } from './security';
import { z } from 'zod';
import { pdfHeaderFooter } from '../engine/services/pdf';
import { REPORT_KINDS, type ReportKind } from '../../shared/api/report-types';

const PrintArgs = z
  .object({
    route: z.enum(REPORT_KINDS.map((k) => `/print/${k}`) as [string, ...string[]], { message: 'expected a report print route like /print/summary' }),
    query: z.record(z.string(), z.string().max(64)).default({}),
    suggestedName: z.string().max(120).default('drawdown-report.pdf'),
  })
  .strict();

/**
 * Reports print from a hidden, sandboxed window that loads the report's print route, waits for its
 * readiness signal, and is destroyed in finally (desktop only; the browser mode prints through Chromium).
 */
export function registerPrintToPdf(
  ipcMain: IpcMain,
  _engine: () => Engine,
  trusted: (e: IpcMainInvokeEvent) => boolean,
  parent: () => BrowserWindow | null,
  preloadPath: string,
  devServerUrl?: string,
): void {
  ipcMain.handle('drawdown:report-pdf', async (e, raw: unknown) => {
    if (!trusted(e)) return { ok: false, error: { code: 'refused', message: 'Refused: call from an untrusted frame.' } };
    const parsed = PrintArgs.safeParse(raw);
    if (!parsed.success) return { ok: false, error: { code: 'invalid-argument', message: parsed.error.issues.map((i) => i.message).join('; ') } };
    const { route, query, suggestedName } = parsed.data;
    const win = new BrowserWindow(printWindowOptions(preloadPath));
    try {
      const qs = new URLSearchParams(query).toString();
      await win.loadURL(`${devServerUrl ?? APP_ORIGIN}/index.html#${route}${qs ? `?${qs}` : ''}`);
      await waitReady(win, 30_000);
      // the same header (report, period) and "Page X of Y" footer as the headless PDFs of the CLI
      const report = route.slice('/print/'.length) as ReportKind;
      const pdf = await win.webContents.printToPDF({
        printBackground: true,
        pageSize: 'A4',
        displayHeaderFooter: true,
        ...pdfHeaderFooter(report, query.from ?? '', query.to ?? ''),
        margins: { top: 0.71, bottom: 0.63, left: 0.55, right: 0.55 },
      });
      const owner = parent();
      const target = owner
        ? await dialog.showSaveDialog(owner, { title: 'Export report', defaultPath: suggestedName, filters: [{ name: 'PDF', extensions: ['pdf'] }] })
        : { canceled: true, filePath: undefined };
      if (target.canceled || !target.filePath) return { ok: true, value: { saved: false } };
      fs.writeFileSync(target.filePath, pdf);
      return { ok: true, value: { saved: true, path: target.filePath, bytes: pdf.length } };
    } catch (err) {
      return { ok: false, error: { code: 'internal', message: `The PDF could not be produced: ${(err as Error).message}` } };
    } finally {
      win.destroy();
    }
  });
}

async function waitReady(win: BrowserWindow, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ready = (await win.webContents.executeJavaScript("document.body.dataset.ready === 'true'", true)) as boolean;
    if (ready) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the report page did not signal readiness in time');
}
