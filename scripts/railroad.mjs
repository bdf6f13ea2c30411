// `npm run railroad`: writes grammar/railroad.html from the compiled parser (run `npm run build` first).
import { writeFileSync } from 'node:fs';
import { railroadHtml } from '../dist/parser/railroad.js';

writeFileSync(new URL('../grammar/railroad.html', import.meta.url), railroadHtml());
console.log('wrote grammar/railroad.html');
