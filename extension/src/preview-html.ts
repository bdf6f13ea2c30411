// The preview webview's page: a strict content security policy, the theme's colours through VS Code's
// CSS variables, and media/preview.js, which draws the SVG the extension posts to it.
// Input: the webview's CSP source and the script/style URIs. Output: HTML text. No VS Code API here,
// so the page can also be loaded in a plain browser by the tests.

export interface PreviewPageOptions {
  /** The webview's `cspSource` (who may serve scripts, styles and images). */
  cspSource: string;
  /** URI of media/preview.js as the webview sees it. */
  scriptUri: string;
  /** URI of media/preview.css as the webview sees it. */
  styleUri: string;
  /** A fresh random nonce for the script tag. */
  nonce: string;
  /** Title shown above the diagram. */
  title?: string;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function previewHtml(o: PreviewPageOptions): string {
  const csp = [
    "default-src 'none'",
    `img-src ${o.cspSource} data: blob:`,
    `style-src ${o.cspSource} 'unsafe-inline'`,
    `font-src ${o.cspSource} data:`,
    `script-src 'nonce-${o.nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(o.styleUri)}">
<title>${escapeHtml(o.title ?? 'FlowZap preview')}</title>
</head>
<body>
<div id="status" role="status" aria-live="polite">Rendering…</div>
<div id="diagram" aria-label="diagram"></div>
<script nonce="${o.nonce}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>
`;
}

export function makeNonce(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < 32; i++) s += chars.charAt(Math.floor(Math.random() * chars.length));
  return s;
}
