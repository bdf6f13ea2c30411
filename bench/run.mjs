// `npm run bench`: runs every bench/*.bench.mjs in name order against the compiled code in dist/.
// Each bench file exports a default async function that prints its own figures.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv[2];
for (const file of readdirSync(here).filter((f) => f.endsWith('.bench.mjs')).sort()) {
  if (only && !file.includes(only)) continue;
  console.log(`\n## ${file}`);
  const mod = await import(pathToFileURL(join(here, file)).href);
  await mod.default();
}
