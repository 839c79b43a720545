// Drives the hawtio console in headless Chromium the way README.md ("The hawtio console") tells a person to, and
// takes a screenshot of the distributor's Camel routes. Run by hawtio/screenshot.sh, which says what it needs.
//
// Steps, all through hawtio's own UI: open http://127.0.0.1:<hawtio-port>/hawtio, Connect -> Add connection (name
// distributor, HTTP, host 127.0.0.1, port <management-port>, path /observe/jolokia) -> Add -> Connect. hawtio 3
// opens the connection in a new window (/hawtio/?con=distributor); there: Camel -> log-distributor -> routes, the
// Routes tab. Every route id asked for must be in view in the routes table, else this exits 1 and saves what it
// saw under the temporary directory instead.
// With --breaker FILE it also opens the route send-a1 -> Route Diagram and saves it: the circuit breaker in front
// of analyzer a1.
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const opts = {
  hawtioPort: process.env.HAWTIO_PORT || '8090',
  managementPort: process.env.DISTRIBUTOR_MANAGEMENT_PORT || '8081',
  out: 'docs/hawtio-routes.png',
  breaker: null,
  routes: 'ingest-http,deliver-a1',
  chromium: process.env.CHROMIUM || '/usr/bin/chromium',
};
const flags = { '--hawtio-port': 'hawtioPort', '--management-port': 'managementPort', '--out': 'out',
  '--breaker': 'breaker', '--routes': 'routes', '--chromium': 'chromium' };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  const key = flags[argv[i]];
  if (!key || argv[i + 1] === undefined) {
    console.error(`screenshot: unknown or incomplete option '${argv[i]}'; options: ${Object.keys(flags).join(' ')}`);
    process.exit(2);
  }
  opts[key] = argv[i + 1];
}
const wanted = opts.routes.split(',').map((s) => s.trim()).filter(Boolean);
const hawtio = `http://127.0.0.1:${opts.hawtioPort}/hawtio/`;
const log = (line) => console.log(`screenshot: ${line}`);

if (!existsSync(opts.chromium)) {
  console.error(`screenshot: no Chromium at ${opts.chromium}: apt-get install chromium, or give --chromium PATH`);
  process.exit(2);
}
// Playwright starts Chromium with a fresh temporary profile: no connection is left over from an earlier run.
const browser = await chromium.launch({
  executablePath: opts.chromium,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
context.setDefaultTimeout(30_000);
// Jolokia answers every request of a bulk POST with its own status; a refusal (403) shows up only there.
const refused = new Set();
context.on('response', async (response) => {
  if (!response.url().includes('/observe/jolokia')) return;
  try {
    const sent = [].concat(response.request().postDataJSON() ?? []);
    const answers = [].concat(await response.json());
    answers.forEach((answer, i) => {
      if (answer && answer.status === 403) refused.add(`${JSON.stringify(sent[i] ?? answer.request)}: ${answer.error}`);
    });
  } catch { /* not a JSON answer: nothing to report */ }
});

let page;
let status = 0;
try {
  page = await context.newPage();
  log(`opening ${hawtio}`);
  await page.goto(hawtio);

  // Connect -> Add connection (hawtio starts on the Connect page when it has no connection yet).
  await page.getByRole('button', { name: 'Add connection' }).click();
  const form = page.getByRole('dialog');
  await form.locator('#connection-form-name').fill('distributor');
  if (await form.locator('#connection-form-scheme').isChecked()) {
    await form.locator('#connection-form-scheme').uncheck({ force: true }); // HTTP, not HTTPS
  }
  await form.locator('#connection-form-host').fill('127.0.0.1');
  await form.locator('#connection-form-port').fill(opts.managementPort);
  await form.locator('#connection-form-path').fill('/observe/jolokia');
  await form.getByRole('button', { name: 'Test connection' }).click();
  const verdict = form.getByText(/^Connection (successful|failed)/);
  await verdict.first().waitFor();
  const tested = (await verdict.first().innerText()).trim();
  log(`test connection: ${tested}`);
  if (!tested.startsWith('Connection successful')) {
    throw new Error(`hawtio cannot reach http://127.0.0.1:${opts.managementPort}/observe/jolokia: is the distributor running with DISTRIBUTOR_MANAGEMENT_PORT=${opts.managementPort}?`);
  }
  await form.getByRole('button', { name: 'Add', exact: true }).click();
  await form.waitFor({ state: 'hidden' });

  // Connect: hawtio 3 opens the connection in a new window.
  const row = page.locator('#connection-list li').filter({ has: page.getByText('distributor', { exact: true }) });
  const [opened] = await Promise.all([
    context.waitForEvent('page'),
    row.getByRole('button', { name: 'Connect', exact: true }).click(),
  ]);
  page = opened;
  await page.waitForLoadState();
  log(`connected: ${page.url()}`);

  // Camel -> log-distributor -> routes (the Routes tab).
  await page.getByRole('link', { name: 'Camel', exact: true }).click();
  const tree = page.getByRole('tree');
  await tree.getByText('log-distributor', { exact: true }).first().waitFor();
  await tree.getByText('routes', { exact: true }).first().click();
  await page.locator('main').getByText('Routes', { exact: true }).first().click();
  const table = page.locator('main table');
  await table.first().waitFor();
  const missing = [];
  for (const id of wanted) {
    try {
      const cell = table.locator('td[data-label="Name"]').getByText(id, { exact: true }).first();
      await cell.waitFor({ state: 'visible', timeout: 15_000 });
      const box = await cell.boundingBox();
      if (!box || box.y + box.height > page.viewportSize().height) throw new Error('below the fold');
    } catch {
      missing.push(id);
    }
  }
  if (missing.length) {
    throw new Error(`route ids not in view in hawtio's routes table: ${missing.join(', ')}`);
  }
  mkdirSync(dirname(opts.out), { recursive: true });
  await page.mouse.move(0, 0);
  await page.screenshot({ path: opts.out });
  log(`routes table shows ${wanted.join(', ')}; wrote ${opts.out}`);

  if (opts.breaker) {
    // Camel -> log-distributor -> routes -> send-a1 -> Route Diagram: the circuit breaker in front of a1.
    await tree.getByText('send-a1', { exact: true }).first().click();
    await page.locator('main').getByText('Route Diagram', { exact: true }).first().click();
    await page.getByText('Circuit Breaker', { exact: true }).first().waitFor();
    await page.waitForTimeout(1_000); // the diagram lays itself out
    mkdirSync(dirname(opts.breaker), { recursive: true });
    await page.mouse.move(0, 0);
    await page.screenshot({ path: opts.breaker });
    log(`route diagram of send-a1 shows its Circuit Breaker; wrote ${opts.breaker}`);
  }
} catch (error) {
  log(`FAIL: ${error.message.split('\n')[0]}`);
  if (page) {
    const failed = join(tmpdir(), 'hawtio-screenshot.failed.png');
    await page.screenshot({ path: failed }).catch(() => {});
    log(`what the page showed: ${failed} (${page.url()})`);
  }
  status = 1;
} finally {
  for (const line of refused) log(`jolokia refused: ${line}`);
  await browser.close();
}
process.exit(status);
