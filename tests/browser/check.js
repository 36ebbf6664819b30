#!/usr/bin/env node
// End-to-end checks of built report pages in the installed headless Chromium.
//
// Usage: node check.js --browser /usr/bin/chromium PAGE.html [PAGE.html ...]
//
// Each page is opened from file:// in light and dark colour schemes at desktop
// (1280 px) and phone (390 px) width. For every combination it checks:
//   - no console error and no uncaught page error;
//   - no network request beyond the page itself (everything must be inline);
//   - every chart SVG is rendered with a non-zero size;
//   - axe-core finds no accessibility violation.
// Across pages it checks that the bound values (the `value` attributes of
// <data> elements) are the same list, so both editions state the same numbers.
//
// It prints one line per check on stderr and a JSON summary on stdout, and
// exits 1 when anything failed (2 for a usage error). It never downloads a
// browser: playwright-core drives the executable it is given.

'use strict';

const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');

function usage(msg) {
  process.stderr.write(`error: ${msg}\nusage: node check.js --browser PATH PAGE.html [PAGE.html ...]\n`);
  process.exit(2);
}

function parseArgs(argv) {
  let browser = process.env.QUIRE_BROWSER || '';
  const pages = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--browser') {
      browser = argv[++i] || usage('--browser needs a path');
    } else if (argv[i].startsWith('--')) {
      usage(`unknown option ${argv[i]}`);
    } else {
      pages.push(argv[i]);
    }
  }
  if (!browser) usage('no browser: pass --browser PATH or set QUIRE_BROWSER');
  if (pages.length === 0) usage('no page given');
  for (const p of pages) if (!fs.existsSync(p)) usage(`no such page: ${p}`);
  return { browser, pages };
}

const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
];
const SCHEMES = ['light', 'dark'];

/** Describes one axe violation in a line a person can act on. */
function describeViolation(v) {
  const nodes = v.nodes
    .slice(0, 3)
    .map((n) => `${n.target.join(' ')}${n.failureSummary ? ` (${n.failureSummary.split('\n').slice(1).join(' ').trim()})` : ''}`)
    .join('; ');
  const more = v.nodes.length > 3 ? ` and ${v.nodes.length - 3} more` : '';
  return `${v.id} [${v.impact}]: ${v.help}: ${nodes}${more}`;
}

async function checkPage(browser, file, axeSource, viewport, scheme) {
  const url = pathToFileURL(path.resolve(file)).href;
  const context = await browser.newContext({
    viewport: { width: viewport.width, height: viewport.height },
    colorScheme: scheme,
    isMobile: viewport.name === 'phone',
    hasTouch: viewport.name === 'phone',
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  const requests = [];
  page.on('request', (r) => {
    if (r.url() !== url) requests.push(r.url());
  });
  await page.goto(url, { waitUntil: 'load' });
  for (const r of requests) problems.push(`network request beyond the page: ${r}`);

  const charts = await page.$$eval('figure.figure-chart', (figs) =>
    figs.map((f) => {
      const svg = f.querySelector('svg');
      const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
      return { id: f.id, width: box.width, height: box.height, svg: !!svg };
    }),
  );
  if (charts.length === 0) problems.push('no chart figure on the page');
  for (const c of charts) {
    if (!c.svg) problems.push(`chart ${c.id} has no <svg>`);
    else if (!(c.width > 0 && c.height > 0)) problems.push(`chart ${c.id} renders at ${c.width}×${c.height}`);
  }

  const values = await page.$$eval('data[value]', (els) => els.map((e) => e.getAttribute('value')));

  // Print is always light, even from a browser in dark mode.
  if (scheme === 'dark') {
    await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
    const colours = await page.evaluate(() => {
      const s = getComputedStyle(document.body);
      return { bg: s.backgroundColor, ink: s.color };
    });
    if (colours.bg !== 'rgb(255, 255, 255)' || colours.ink !== 'rgb(0, 0, 0)') {
      problems.push(`print in dark mode is not black on white: ${colours.ink} on ${colours.bg}`);
    }
    await page.emulateMedia({ media: 'screen', colorScheme: 'dark' });
  }

  await page.addScriptTag({ content: axeSource });
  const axe = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
  for (const v of axe) problems.push(`axe: ${describeViolation(v)}`);

  await context.close();
  return { file, viewport: viewport.name, scheme, charts: charts.length, values, violations: axe.length, problems };
}

async function main() {
  const { browser: executablePath, pages } = parseArgs(process.argv.slice(2));
  const { chromium } = require('playwright-core');
  const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // No host name resolves: the browser's own update and account checks
      // stay off the network, and so would any request the page made.
      '--host-resolver-rules=MAP * ~NOTFOUND',
    ],
  });
  const runs = [];
  let failed = 0;
  try {
    for (const file of pages) {
      for (const viewport of VIEWPORTS) {
        for (const scheme of SCHEMES) {
          const r = await checkPage(browser, file, axeSource, viewport, scheme);
          runs.push(r);
          const label = `${file} ${viewport.name} ${scheme}`;
          if (r.problems.length === 0) {
            process.stderr.write(`ok   ${label}: ${r.charts} charts, ${r.values.length} values, no axe violation\n`);
          } else {
            failed += r.problems.length;
            for (const p of r.problems) process.stderr.write(`FAIL ${label}: ${p}\n`);
          }
        }
      }
    }
  } finally {
    await browser.close();
  }

  // Every edition must state the same numbers, in the same order.
  const first = runs[0];
  for (const r of runs.slice(1)) {
    if (JSON.stringify(r.values) !== JSON.stringify(first.values)) {
      const i = r.values.findIndex((v, k) => v !== first.values[k]);
      const at = i < 0 ? first.values.length : i;
      process.stderr.write(
        `FAIL bound values differ: ${first.file} has ${first.values.length}, ${r.file} (${r.viewport} ${r.scheme}) has ${r.values.length}; first difference at #${at + 1}: ${first.values[at]} vs ${r.values[at]}\n`,
      );
      failed += 1;
      break;
    }
  }
  if (first.values.length === 0) {
    process.stderr.write('FAIL no bound <data value> on the page\n');
    failed += 1;
  }
  const summary = {
    pages: pages.length,
    runs: runs.length,
    charts: first.charts,
    values: first.values.length,
    problems: failed,
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((e) => {
  process.stderr.write(`error: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
