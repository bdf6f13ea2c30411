// grammar/railroad.html is the generated railroad-diagram page of the Chevrotain grammar: it must be
// up to date, and it must actually draw one diagram per grammar rule when a browser opens it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from 'vitest';
import { parserInstance } from '../../src/parser/parser.js';
import { railroadHtml } from '../../src/parser/railroad.js';
import { repoRoot } from '../helpers/paths.js';
import { launchChromium } from '../helpers/browser.js';

const page = join(repoRoot, 'grammar', 'railroad.html');

test('grammar/railroad.html is generated from the current grammar (npm run railroad)', () => {
  expect(readFileSync(page, 'utf8')).toBe(railroadHtml());
});

test('the page draws a diagram for every rule in Chromium', async () => {
  const browser = await launchChromium({ args: ['--allow-file-access-from-files'] });
  try {
    const tab = await browser.newPage();
    await tab.goto(pathToFileURL(page).href);
    await tab.waitForSelector('svg.railroad-diagram');
    const drawn = await tab.$$eval('svg.railroad-diagram', (svgs) => svgs.length);
    const rules = parserInstance.getSerializedGastProductions().length;
    expect(drawn).toBe(rules);
    expect(rules).toBeGreaterThanOrEqual(10);
  } finally {
    await browser.close();
  }
});
