// The little Markdown the server's hovers and completion notes use (paragraphs, ``` blocks,
// `code`, **bold**), drawn as DOM nodes: text is never parsed as HTML.
export function markdownElement(markdown: string): HTMLElement {
  const root = document.createElement('div');
  root.className = 'fz-markdown';
  const blocks = markdown.split(/^```[^\n]*\n?/m);
  blocks.forEach((block, i) => {
    if (i % 2 === 1) {
      const pre = document.createElement('pre');
      pre.textContent = block.replace(/\n$/, '');
      root.appendChild(pre);
      return;
    }
    for (const paragraph of block.split(/\n\s*\n/)) {
      if (!paragraph.trim()) continue;
      const p = document.createElement('p');
      for (const piece of paragraph.split(/(`[^`]+`|\*\*[^*]+\*\*)/)) {
        if (!piece) continue;
        if (piece.startsWith('`') && piece.endsWith('`') && piece.length > 1) {
          const code = document.createElement('code');
          code.textContent = piece.slice(1, -1);
          p.appendChild(code);
        } else if (piece.startsWith('**') && piece.endsWith('**') && piece.length > 3) {
          const strong = document.createElement('strong');
          strong.textContent = piece.slice(2, -2);
          p.appendChild(strong);
        } else p.appendChild(document.createTextNode(piece));
      }
      root.appendChild(p);
    }
  });
  return root;
}
