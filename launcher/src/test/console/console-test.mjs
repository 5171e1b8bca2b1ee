// The console in a real browser: Debian's Chromium, driven by playwright-core. ConsoleBrowserIT starts the suite and
// a fleet, then runs this script with:
//   AFD_CONSOLE_URL   the orchestrator's base URL (the console is at /console/)
//   AFD_TOKEN         an admin bearer token
//   AFD_EXPERIMENT    the id of the experiment to create
//   AFD_YAML          its config (the fleet's clients serve it)
//   AFD_SCREENSHOTS   where to write the screenshots
//   AFD_CHROMIUM      the browser (default /usr/bin/chromium)
// It exits 0 when every step held, 1 with the failed step otherwise.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const env = (name, fallback) => {
  const v = process.env[name] ?? fallback;
  if (v === undefined) throw new Error(`${name} is not set`);
  return v;
};
const base = env('AFD_CONSOLE_URL');
const token = env('AFD_TOKEN');
const id = env('AFD_EXPERIMENT');
const yaml = env('AFD_YAML');
const shots = env('AFD_SCREENSHOTS');
mkdirSync(shots, { recursive: true });

// stderr: written at once, so the steps show even when the script exits on a failure
const step = (what) => console.error(`console-test: ${what}`);

const browser = await chromium.launch({
  executablePath: env('AFD_CHROMIUM', '/usr/bin/chromium'),
  headless: true,
  // playwright gives every launch a fresh, temporary profile
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync'],
});
let failed = false;
try {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  page.on('pageerror', (e) => { console.error(`console-test: page error: ${e.message}`); failed = true; });

  step('the root sends the browser to the console, which asks for a token');
  await page.goto(base + '/');
  await page.waitForURL(/\/console\//);
  await page.locator('#token').waitFor();

  step('a wrong token is refused with a reason');
  await page.fill('#token', 'not-a-token');
  await page.click('#signin');
  await page.getByText('refused').first().waitFor({ timeout: 10000 });

  step('sign in');
  await page.fill('#token', token);
  await page.click('#signin');
  await page.locator('#experiments').waitFor({ timeout: 15000 });
  await page.screenshot({ path: join(shots, 'experiments.png'), fullPage: true });

  step('create and start an experiment from the form, starting from a template');
  await page.locator('#template option').nth(1).waitFor({ state: 'attached', timeout: 15000 });
  const templates = await page.locator('#template option').allTextContents();
  if (!templates.some((t) => t.includes('synthetic'))) throw new Error(`no synthetic template in ${templates}`);
  await page.selectOption('#template', { label: templates.find((t) => t.includes('synthetic-afd-single-dgc')) });
  if (!(await page.inputValue('#exp-config')).includes('dataset')) throw new Error('the template did not fill the config');
  await page.fill('#exp-id', 'bad id!');
  await page.click('#create');
  await page.waitForFunction(() => (document.querySelector('#exp-id-error')?.textContent || '').trim().length > 0,
    null, { timeout: 5000 });
  await page.fill('#exp-id', id);
  await page.fill('#exp-config', yaml);
  await page.fill('#exp-timeout', '120');
  await page.click('#create-start');
  await page.waitForURL(new RegExp(`#/experiments/${id}`), { timeout: 15000 });

  step('the live view shows rounds advancing and the accuracy chart gaining points');
  await page.locator('#live-round').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('#rounds tbody tr').length >= 2, null, { timeout: 120000 });
  await page.screenshot({ path: join(shots, 'round-live.png'), fullPage: true });
  await page.waitForFunction(() => document.querySelector('#status')?.textContent.trim() === 'COMPLETED', null,
    { timeout: 180000 });
  const points = await page.evaluate(() => {
    const chart = window.echarts.getInstanceByDom(document.querySelector('#chart-accuracy'));
    const series = chart.getOption().series;
    return Math.max(...series.map((s) => (s.data || []).filter((d) => d !== null && d !== undefined).length));
  });
  if (points < 2) throw new Error(`the accuracy chart has ${points} points`);
  await page.screenshot({ path: join(shots, 'experiment.png'), fullPage: true });

  step('the score maps view shows a heatmap per layer');
  await page.locator('#scoremaps .heatmap').first().waitFor({ timeout: 20000 });
  await page.locator('#scoremaps').scrollIntoViewIfNeeded();
  await page.locator('#scoremaps').screenshot({ path: join(shots, 'scoremaps.png') });

  step('the model versions show their lineage, and one downloads with the token');
  await page.waitForFunction(() => document.querySelectorAll('#versions-table tbody tr').length >= 5, null,
    { timeout: 20000 });
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 20000 }),
    page.locator('#versions-table .download').first().click(),
  ]);
  if (!download.suggestedFilename().match(new RegExp(`^${id}-v\\d+\\.afdt$`))) {
    throw new Error(`downloaded ${download.suggestedFilename()}`);
  }
  const { statSync } = await import('node:fs');
  const bytes = statSync(await download.path()).size;
  if (bytes < 1000) throw new Error(`the downloaded model has ${bytes} bytes`);

  step('the clients view lists the fleet and the rejected updates');
  await page.goto(base + '/console/#/clients');
  await page.waitForFunction(() => document.querySelectorAll('#clients tbody tr').length >= 3, null, { timeout: 15000 });
  await page.waitForFunction(() => [...document.querySelectorAll('#rejections-table tbody tr')]
    .some((tr) => tr.textContent.includes('malformed')), null, { timeout: 20000 });
  await page.screenshot({ path: join(shots, 'clients.png'), fullPage: true });

  step('on a phone');
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await phone.goto(base + '/console/');
  await phone.fill('#token', token);
  await phone.click('#signin');
  await phone.goto(base + `/console/#/experiments/${id}`);
  await phone.locator('#status').waitFor({ timeout: 15000 });
  await phone.waitForFunction(() => document.querySelector('#status')?.textContent.trim() === 'COMPLETED', null,
    { timeout: 30000 });
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (overflow > 2) throw new Error(`the page is ${overflow} px wider than the phone's screen`);
  await phone.screenshot({ path: join(shots, 'phone.png'), fullPage: false });
  step('all steps held');
} catch (e) {
  console.error(`console-test: FAILED: ${e.message}`);
  failed = true;
  for (const [i, p] of browser.contexts().flatMap((c) => c.pages()).entries()) {
    console.error(`console-test: page ${i} was at ${p.url()}`);
    await p.screenshot({ path: join(shots, `failure-${i}.png`), fullPage: true }).catch(() => {});
  }
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
