// Glyphs Inter lacks come from the fallback faces (Noto Sans SC, KR, Hebrew, Arabic, Emoji): measured with the
// face that draws them, embedded as subsets of their own in the SVG, and loaded by resvg for PNG.
// resvg tests compare rendered pixels: two different characters of a script must give different
// pictures, unlike two characters no font has (both drawn as the same .notdef box: the control).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { render } from '../../src/api/index.js';
import { defaultFonts, fallbackFonts, fromBase64, loadFallbacks, parseFont, textWidth } from '../../src/layout/fonts.js';
import type { Font } from '../../src/layout/fonts.js';
import { measureText } from '../../src/layout/measure.js';
import { ROOT } from './helpers.js';

const diagram = (label: string): string => `a { # A\nn1: rectangle label:"${label}"\n}\n`;
const png = async (label: string): Promise<Buffer> => Buffer.from((await render(diagram(label), { format: 'png', scale: 1 })).value!);

/** The characters drawn in an SVG's text elements (entities decoded). */
function drawnChars(svg: string): Set<string> {
  const out = new Set<string>();
  for (const m of svg.matchAll(/<(text|tspan)\b[^>]*>([^<]*)</g)) {
    const text = m[2]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    for (const ch of text) if (ch.trim() !== '') out.add(ch);
  }
  return out;
}

/** The font subsets an SVG embeds, parsed. */
function embedded(svg: string): Font[] {
  return [...svg.matchAll(/base64,([A-Za-z0-9+/=]+)\)/g)].map((m) => parseFont(fromBase64(m[1]!), 400));
}

describe('resvg draws the fallback glyphs', () => {
  test('two characters of each script give different pictures; two characters no font has give the same', async () => {
    const notdef = await png('\ue000');
    expect((await png('\ue001')).equals(notdef)).toBe(true);
    for (const [a, b] of [['中', '国'], ['あ', 'い'], ['한', '국'], ['→', '←'], ['α', 'β'], ['Д', 'Ж'], ['א', 'ב'], ['ب', 'ت'], ['✓', '★'], ['①', '②'], ['👋', '🎉']] as const) {
      const pa = await png(a);
      const pb = await png(b);
      expect(pa.equals(pb), `${a} ${b}`).toBe(false);
      expect(pa.equals(notdef), a).toBe(false);
    }
  });

  test('right-to-left text is drawn in visual order (as its reversed text forced left-to-right)', async () => {
    const rtl = await png('אבג דה');
    expect(rtl.equals(await png('\u202dהד גבא\u202c'))).toBe(true);
    expect(rtl.equals(await png('\u202dאבג דה\u202c'))).toBe(false);
  });
});

describe('the Chinese lottery example', () => {
  const text = readFileSync(join(ROOT, 'examples', 'lottery-zh.fz'), 'utf8');

  test('its SVG embeds a glyph for every character it draws, and so do the fonts resvg loads', async () => {
    const svg = (await render(text, { id: 'zh' })).value!;
    const chars = drawnChars(svg);
    expect([...chars].filter((c) => /\p{Script=Han}/u.test(c)).length).toBeGreaterThan(30);
    const faces = embedded(svg);
    expect(faces.map((f) => f.family).sort()).toEqual(['Inter', 'Inter SemiBold', 'Noto Sans SC']);
    const missing = [...chars].filter((c) => !faces.some((f) => f.glyphOf(c.codePointAt(0)!) !== 0));
    expect(missing).toEqual([]);
    // PNG: the SVG names the fallback family, and the shipped files resvg loads hold every glyph.
    const pngSvg = (await render(text, { id: 'zh', embedFont: false })).value!;
    expect(pngSvg).toContain("font-family:'Inter','Noto Sans SC',sans-serif");
    const files = ['Inter-Regular.ttf', 'NotoSansSC-Regular.ttf'].map((f) => parseFont(new Uint8Array(readFileSync(join(ROOT, 'assets', 'fonts', f))), 400));
    expect([...chars].filter((c) => !files.some((f) => f.glyphOf(c.codePointAt(0)!) !== 0))).toEqual([]);
    const picture = (await render(text, { format: 'png' })).value!;
    expect(picture.length).toBeGreaterThan(50_000);
  });

  test('CJK is measured with the face that draws it (1 em per ideograph), not guessed', async () => {
    await loadFallbacks('中');
    expect(fallbackFonts().map((f) => f.family)).toEqual(['Noto Sans SC', 'Noto Sans KR', 'Noto Sans Hebrew', 'Noto Sans Arabic', 'Noto Emoji']);
    expect(measureText('中奖者', 13, 400, 150).width).toBe(39);
    const hebrew = fallbackFonts()[2]!;
    const g = hebrew.glyphOf('ש'.codePointAt(0)!);
    expect(textWidth(defaultFonts().regular, 'ש', 13)).toBeCloseTo((hebrew.advanceOf(g) * 13) / hebrew.unitsPerEm, 6);
  });
});

test('an SVG with 20 CJK labels stays small; a Latin one embeds no fallback', async () => {
  const words = ['订单处理', '支付成功', '库存检查', '发货通知', '用户注册', '数据验证', '审批流程', '退款申请', '报告生成', '邮件发送', '风险评估', '客户反馈', '合同签署', '账户冻结', '积分兑换', '物流跟踪', '质量检测', '发票开具', '会员升级', '系统备份'];
  const body = words.map((w, i) => `n${i + 1}: rectangle label:"${w}"`).join('\n');
  const edges = words.slice(1).map((_, i) => `n${i + 1}.handle(right) -> n${i + 2}.handle(left)`).join('\n');
  const svg = (await render(`a { # 流程\n${body}\n${edges}\n}\n`)).value!;
  expect(svg).toContain("'Noto Sans SC-");
  expect(svg.length).toBeLessThan(60_000);
  const latin = (await render(diagram('Order Received'))).value!;
  expect(latin).not.toContain('Noto');
});
