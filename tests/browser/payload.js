#!/usr/bin/env node
// Loads built pages in the installed headless Chromium and reports whether
// any script ran: the pages of a report built from hostile text must run
// none. A payload sets `window.__pwned` or opens a dialog; both are watched.
//
// Usage: node payload.js --browser PATH PAGE.html [PAGE.html ...]
// Prints a JSON summary on stdout: [{page, pwned, dialogs, scripts}].

'use strict';

const { pathToFileURL } = require('url');
const path = require('path');
const { chromium } = require('playwright-core');

async function main() {
  const argv = process.argv.slice(2);
  let browserPath = process.env.QUIRE_BROWSER || '';
  const pages = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--browser') browserPath = argv[++i];
    else pages.push(argv[i]);
  }
  const browser = await chromium.launch({
    executablePath: browserPath,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const results = [];
  try {
    for (const file of pages) {
      const page = await browser.newPage();
      let dialogs = 0;
      page.on('dialog', async (d) => { dialogs += 1; await d.dismiss(); });
      await page.goto(pathToFileURL(path.resolve(file)).href, { waitUntil: 'load' });
      await page.waitForTimeout(300);
      const state = await page.evaluate(() => ({
        pwned: window.__pwned === 1,
        scripts: document.scripts.length,
      }));
      results.push({ page: file, dialogs, ...state });
      await page.close();
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(results) + '\n');
}

main().catch((e) => { process.stderr.write(String(e.stack || e) + '\n'); process.exit(1); });
