// The preview webview's script: draws the SVG the extension posts, keeps the last good picture when
// the document has errors, and rasterises the SVG to PNG on request (the browser does PNG, so the
// extension needs no native image library).
(function () {
  'use strict';
  const vscode = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : { postMessage() {}, setState() {}, getState() { return undefined; } };
  const diagram = document.getElementById('diagram');
  const status = document.getElementById('status');
  let lastSvg = '';

  function setStatus(text, isError) {
    status.textContent = text;
    status.className = isError ? 'error' : '';
  }

  function draw(svg) {
    // Parse as SVG, not HTML, so the markup cannot add HTML elements; scripts never run under the CSP.
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    const root = doc.documentElement;
    if (!root || root.nodeName.toLowerCase() !== 'svg' || doc.getElementsByTagName('parsererror').length > 0) {
      setStatus('The renderer returned something that is not SVG.', true);
      return;
    }
    diagram.replaceChildren(document.importNode(root, true));
    lastSvg = svg;
    vscode.setState({ svg });
  }

  async function toPng(scale) {
    const svg = lastSvg;
    if (!svg) throw new Error('nothing to export yet');
    const img = new Image();
    const url = 'data:image/svg+xml;base64,' + btoa(unescape(encodeURIComponent(svg)));
    await new Promise((resolve, reject) => {
      img.onload = resolve;
      img.onerror = () => reject(new Error('the SVG could not be loaded as an image'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round((img.naturalWidth || 800) * scale));
    canvas.height = Math.max(1, Math.round((img.naturalHeight || 600) * scale));
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
  }

  window.addEventListener('message', async (event) => {
    const m = event.data || {};
    if (m.type === 'svg' && typeof m.svg === 'string') {
      draw(m.svg);
      setStatus(m.note ? String(m.note) : m.errors ? m.errors + ' problem(s) in the document; showing what could be drawn.' : '', false);
    } else if (m.type === 'error') {
      setStatus(String(m.message || 'The diagram could not be drawn.'), true);
    } else if (m.type === 'exportPng') {
      try {
        vscode.postMessage({ type: 'png', id: m.id, data: await toPng(Number(m.scale) || 2) });
      } catch (e) {
        vscode.postMessage({ type: 'png', id: m.id, error: String(e && e.message ? e.message : e) });
      }
    }
  });

  const saved = vscode.getState();
  if (saved && typeof saved.svg === 'string') draw(saved.svg);
  vscode.postMessage({ type: 'ready' });
})();
