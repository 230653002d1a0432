import { describe, expect, it } from 'vitest';
import { factNames, renderMarkdown, renderMarkdownInline, type MarkdownEnv } from './markdown.ts';

const before: MarkdownEnv = { facts: null, pending: 'run to see', missing: 'not in this run' };
const after: MarkdownEnv = { facts: { 'syn.seq': 1234, 'rst.from': 'server' }, pending: 'run to see', missing: '—' };

describe('renderMarkdown', () => {
  it('escapes raw HTML in lessons', () => {
    const html = renderMarkdown('Hi <script>alert(1)</script> <b>x</b>', before);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;');
  });

  it('makes a code block reachable by keyboard, so a wide one can be scrolled', () => {
    expect(renderMarkdown('```python\nprint(1)\n```', before)).toMatch(/^<pre tabindex="0"><code class="language-python">print\(1\)/);
  });

  it('shows a placeholder for facts before a run and the values after', () => {
    expect(renderMarkdown('seq {{syn.seq}}', before)).toContain('<span class="fact fact-pending" data-fact="syn.seq">run to see</span>');
    expect(renderMarkdown('seq {{ syn.seq }}', after)).toContain('<span class="fact" data-fact="syn.seq">1234</span>');
    expect(renderMarkdown('x {{nope}}', after)).toContain('fact-missing');
  });

  it('shows a missing fact as a short mark that still says what it means', () => {
    const html = renderMarkdown('In this run: {{a}} − {{b}}.', { ...after, missingHint: 'not in this run' });
    expect(html).toContain('<span aria-hidden="true">—</span><span class="visually-hidden">not in this run</span>');
    expect(html).toContain('title="not in this run"');
  });

  it('translates word-valued facts and leaves numbers alone', () => {
    const words: Record<string, string> = { server: '服务器' };
    const html = renderMarkdown('{{rst.from}} {{syn.seq}}', { ...after, factValue: (v) => words[v] ?? v });
    expect(html).toContain('data-fact="rst.from">服务器</span>');
    expect(html).toContain('data-fact="syn.seq">1234</span>');
  });

  it('leaves placeholders inside code alone', () => {
    expect(renderMarkdown('`{{syn.seq}}`', after)).toContain('<code>{{syn.seq}}</code>');
  });

  it('escapes fact values', () => {
    const html = renderMarkdown('{{x}}', { ...after, facts: { x: '<img src=x>' } });
    expect(html).toContain('&#60;img src=x&#62;');
  });

  it('marks step links and leaves other links as links', () => {
    const html = renderMarkdown('[the SYN](#step:syn) and [RFC](https://www.rfc-editor.org/rfc/rfc9293)', before);
    expect(html).toMatch(/<a href="#step:syn" data-step-mark="syn" class="step-link">the SYN<\/a>/);
    expect(html).toContain('rel="noopener noreferrer"');
  });

  it('starts headings at level 2', () => {
    expect(renderMarkdown('# Title\n\n## Part', before)).toBe('<h2>Title</h2>\n<h2>Part</h2>\n');
  });

  it('renders inline text without a paragraph', () => {
    expect(renderMarkdownInline('**bold** {{syn.seq}}', after)).toBe('<strong>bold</strong> <span class="fact" data-fact="syn.seq">1234</span>');
  });
});

describe('factNames', () => {
  it('lists the placeholders of a text', () => {
    expect(factNames('a {{syn.seq}} b {{ rst.from }}')).toEqual(['syn.seq', 'rst.from']);
  });
});

describe('code blocks and comparisons', () => {
  it('a code block takes focus, and a comparison link names its two presets', () => {
    const html = renderMarkdown('```python\nx = 1\n```\n\n[A vs B](#compare:one,two)', { facts: null, pending: '…', missing: '—' });
    expect(html).toContain('<pre tabindex="0">');
    expect(html).toContain('data-compare="one,two"');
  });
});
