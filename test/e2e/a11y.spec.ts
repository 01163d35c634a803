/**
 * Accessibility of every screen of the browser mode with the demo organisation loaded:
 * - axe-core (WCAG 2.0/2.1/2.2 A and AA rules): no serious or critical violation;
 * - the keyboard: starting from the skip link, Tab reaches every action on the screen (every
 *   enabled button, link, field and other focusable control, including the main navigation), each
 *   one shows a visible focus indicator, and nothing in the content is clickable by mouse only.
 * A full-page screenshot of each screen goes to SCREENSHOTS (a11y-<screen>.png).
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import path from 'node:path';
import { test, expect, ready, SCREENSHOTS } from './fixtures';

/** The screens of the main navigation (renderer/src/stores/nav.ts), by id and label. */
const SCREENS = [
  ['dashboard', 'Dashboard'],
  ['import', 'Import'],
  ['credits', 'Credits'],
  ['workloads', 'Workloads'],
  ['alerts', 'Alerts'],
  ['approvals', 'Approvals'],
  ['controls', 'Controls'],
  ['scenarios', 'Scenarios'],
  ['reconciliation', 'Reconciliation'],
  ['incidents', 'Incidents'],
  ['reports', 'Reports'],
  ['settings', 'Settings'],
] as const;

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

async function open(page: Page, url: string, id: string, label: string): Promise<void> {
  await page.goto(url);
  await ready(page, 'dashboard');
  // by the address (as a bookmark or a reload would), so no click leaves a focus starting point behind
  if (id !== 'dashboard') {
    await page.evaluate(`window.location.hash = '#/${id}'`);
    await ready(page, id);
  }
  // the screen's own heading, then let charts and late panels settle
  await expect(page.getByRole('heading', { level: 1 })).toContainText(label);
  await page.waitForLoadState('networkidle');
}

interface Stop {
  key: string;
  tag: string;
  name: string;
  visible: boolean;
  why: string;
}

// The in-page halves of the checks are plain JavaScript run with page.evaluate (this project's
// TypeScript config for tests has no DOM library).

/**
 * Tags every keyboard-operable control of the page with data-kbd (enabled, rendered, not inert), and
 * records its look before it has focus, so the look with focus can be compared.
 */
const TAG_CONTROLS = `(() => {
  const sel = [
    'a[href]', 'button', 'input:not([type="hidden"])', 'select', 'textarea', 'summary', 'iframe', '[contenteditable=""]', '[contenteditable="true"]',
    '[tabindex]:not([tabindex="-1"])', '[role="button"]', '[role="link"]', '[role="tab"]', '[role="checkbox"]', '[role="switch"]', '[role="menuitem"]', '[role="radio"]', '[role="option"]',
  ].join(',');
  const look = (cs) => [cs.outlineStyle, cs.outlineWidth, cs.outlineColor, cs.boxShadow, cs.backgroundColor, cs.borderColor, cs.textDecorationLine, cs.color].join('|');
  const out = [];
  window.__kbdBefore = {};
  let n = 0;
  for (const el of document.querySelectorAll(sel)) {
    if (el.disabled || el.closest('[inert],[aria-hidden="true"]')) continue;
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || cs.display === 'none' || (r.width === 0 && r.height === 0)) continue;
    // a radio group is one tab stop: only its checked (or first) radio is reached by Tab
    if (el instanceof HTMLInputElement && el.type === 'radio' && el.name) {
      const group = [...document.querySelectorAll('input[type="radio"][name="' + CSS.escape(el.name) + '"]')].filter((x) => !x.disabled);
      const stop = group.find((x) => x.checked) || group[0];
      if (stop !== el) continue;
    }
    const key = 'k' + n++;
    el.dataset.kbd = key;
    window.__kbdBefore[key] = look(cs);
    out.push({ key, label: el.tagName.toLowerCase() + ' "' + (el.getAttribute('aria-label') || el.textContent || el.name || '').trim().slice(0, 40) + '"' });
  }
  return out;
})()`;

/** The control that has focus now, and whether its focus is visible (an outline, a ring, or a changed look). */
const FOCUSED = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const holder = el.closest('[data-kbd]');
  const key = holder ? holder.dataset.kbd : '';
  const cs = getComputedStyle(el);
  const ring = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0 && !/rgba\\(\\d+, \\d+, \\d+, 0\\)|transparent/.test(cs.outlineColor);
  const shadow = cs.boxShadow !== 'none';
  const before = (window.__kbdBefore || {})[key];
  const now = [cs.outlineStyle, cs.outlineWidth, cs.outlineColor, cs.boxShadow, cs.backgroundColor, cs.borderColor, cs.textDecorationLine, cs.color].join('|');
  const changed = before !== undefined && before !== now;
  const why = ring ? 'outline ' + cs.outlineWidth + ' ' + cs.outlineStyle + ' ' + cs.outlineColor : shadow ? 'box-shadow ' + cs.boxShadow : changed ? 'restyled on focus' : 'no indicator (' + now + ')';
  const name = (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 40);
  return { key, tag: el.tagName.toLowerCase(), name, visible: ring || shadow || changed, why };
})()`;

/** Things in the content that look clickable (pointer cursor) but no keyboard can reach. */
const MOUSE_ONLY = `(() => {
  const out = [];
  const main = document.querySelector('main');
  if (!main) return out;
  for (const el of main.querySelectorAll('*')) {
    if (getComputedStyle(el).cursor !== 'pointer') continue;
    if (el.closest('[data-kbd],label,canvas')) continue; // reachable itself or inside a control; labels forward to their field
    out.push(el.tagName.toLowerCase() + '.' + el.className + ' "' + (el.textContent || '').trim().slice(0, 40) + '"');
  }
  return out;
})()`;

const tagControls = (page: Page) => page.evaluate<{ key: string; label: string }[]>(TAG_CONTROLS);
const focused = (page: Page) => page.evaluate<Stop | null>(FOCUSED);
const mouseOnly = (page: Page) => page.evaluate<string[]>(MOUSE_ONLY);

for (const [id, label] of SCREENS) {
  test(`${label} screen: no serious or critical axe violations; every action reachable from the keyboard with a visible focus`, async ({ page, demoServer }) => {
    await test.step('axe', async () => {
      await open(page, demoServer.url, id, label);
      await page.screenshot({ path: path.join(SCREENSHOTS, `a11y-${id}.png`), fullPage: true });
      const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
      const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      const report = bad.map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1, 2).join(' ').trim()}`).join('\n')}`);
      expect(report, `axe on ${id}:\n${report.join('\n')}`).toEqual([]);
      // the page is a document with a language, a title and one main landmark
      expect(results.passes.map((p) => p.id)).toEqual(expect.arrayContaining(['html-has-lang', 'document-title']));
      await expect(page.locator('main')).toHaveCount(1);
    });

    await test.step('keyboard', async () => {
      // a fresh load: nothing focused, the tab order starts at the top of the page
      await open(page, demoServer.url, id, label);
      const controls = await tagControls(page);
      expect(controls.length, `${id} has controls to reach`).toBeGreaterThan(SCREENS.length);

      // from the top of the page: the skip link first, then every stop in order
      await page.keyboard.press('Tab');
      const first = await focused(page);
      expect(first?.name, 'the first Tab stop is the skip link').toBe('Skip to content');
      const seen = new Map<string, Stop>([[first!.key, first!]]);
      const invisible: string[] = [];
      let wrapped = false;
      let last = first!.key;
      // date fields take one Tab per part (day, month, year): allow three stops per control
      for (let i = 0; i < controls.length * 3 + 40; i++) {
        await page.keyboard.press('Tab');
        const f = await focused(page);
        if (!f) {
          wrapped = true; // focus left the document (back to the browser): the end of the tab order
          break;
        }
        if (f.key === last) continue; // the next part of the same control
        if (f.key && seen.has(f.key)) {
          wrapped = true; // back at a control already visited: the order has come round
          break;
        }
        last = f.key;
        if (f.key) seen.set(f.key, f);
        if (!f.visible) invisible.push(`${f.tag} "${f.name}": ${f.why}`);
      }
      expect(wrapped, 'Tab reaches the end of the page (no keyboard trap)').toBe(true);
      const missed = controls.filter((c) => !seen.has(c.key)).map((c) => c.label);
      expect(missed, `controls on ${id} that Tab never reaches`).toEqual([]);
      expect(invisible, `focus is not visible on ${id}`).toEqual([]);
      expect(await mouseOnly(page), `mouse-only controls on ${id}`).toEqual([]);

      // the skip link moves focus into the content; Shift+Tab walks back out of it
      await page.locator('a.skip').focus();
      await page.keyboard.press('Enter');
      await expect(page.locator('main')).toBeFocused();
      await page.keyboard.press('Shift+Tab');
      expect(await page.evaluate<boolean>("!!(document.activeElement && document.activeElement.closest('nav'))")).toBe(true);
    });
  });
}

test('the main navigation is operable from the keyboard alone and says where you are', async ({ page, demoServer }) => {
  await page.goto(demoServer.url);
  await ready(page, 'dashboard');
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const [id, label] of SCREENS) {
    const button = nav.getByRole('button', { name: label, exact: true });
    await button.focus();
    await page.keyboard.press('Enter');
    await ready(page, id);
    await expect(button).toHaveAttribute('aria-current', 'page');
    await expect(page.getByRole('heading', { level: 1 })).toContainText(label);
    // Space works as well as Enter on a button
    await button.focus();
    await page.keyboard.press(' ');
    await expect(button).toHaveAttribute('aria-current', 'page');
  }
});
