/**
 * Lesson Markdown → HTML. Raw HTML in lessons is escaped (`html: false`). Two additions:
 * - `{{fact.name}}` is filled with this run's value (word values translated), a "run to see"
 *   placeholder before a run, or a short mark when the run did not produce it;
 * - links to `#step:<mark>` carry `data-step-mark` so the page can select that step;
 * - links to `#compare:<preset>,<preset>` carry `data-compare` so the page can run and compare both;
 * - code blocks take focus (`tabindex="0"`): one wider than the text scrolls with the keyboard;
 * - links ``[`code`](#line:file.py)`` carry `data-program-file` and `data-program-code` so the
 *   page can light the line of that program holding the code.
 * Headings start at level 2 (the page's title is the only level 1). DOM-free.
 */
import MarkdownIt from 'markdown-it';

export type FactValues = Readonly<Record<string, string | number>>;

export interface MarkdownEnv {
  /** This run's facts, or null before a run. */
  facts: FactValues | null;
  /** Shown in place of a fact before a run (e.g. "run to see"). */
  pending: string;
  /** Shown when a run did not produce this fact (short, e.g. "—": it sits inside sentences). */
  missing: string;
  /** Said of a missing fact to assistive technology and on hover ("not in this run"). */
  missingHint?: string;
  /** A word-valued fact (`client`, `yes`, `none`) in the page's language; numbers stay as they are. */
  factValue?: (value: string) => string;
}

const FACT = /^\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function createRenderer(): InstanceType<typeof MarkdownIt> {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false });

  md.inline.ruler.before('emphasis', 'fact', (state, silent) => {
    if (state.src.charCodeAt(state.pos) !== 0x7b /* { */) return false;
    const m = FACT.exec(state.src.slice(state.pos));
    if (!m) return false;
    if (!silent) {
      const token = state.push('fact', '', 0);
      token.meta = { name: m[1] };
    }
    state.pos += m[0].length;
    return true;
  });

  md.renderer.rules['fact'] = (tokens, idx, _opts, rawEnv) => {
    const env = rawEnv as unknown as MarkdownEnv;
    const name = String((tokens[idx]?.meta as { name?: string } | undefined)?.name ?? '');
    const attr = escapeHtml(name);
    if (!env.facts) return `<span class="fact fact-pending" data-fact="${attr}">${escapeHtml(env.pending)}</span>`;
    const value = env.facts[name];
    if (value === undefined) {
      if (!env.missingHint) return `<span class="fact fact-missing" data-fact="${attr}">${escapeHtml(env.missing)}</span>`;
      const hint = escapeHtml(env.missingHint);
      return `<span class="fact fact-missing" data-fact="${attr}" title="${hint}"><span aria-hidden="true">${escapeHtml(env.missing)}</span><span class="visually-hidden">${hint}</span></span>`;
    }
    const text = typeof value === 'string' && env.factValue ? env.factValue(value) : String(value);
    return `<span class="fact" data-fact="${attr}">${escapeHtml(text)}</span>`;
  };

  // A code block may scroll sideways: keyboard users reach it (Tab) to scroll it (arrows).
  const defaultFence = md.renderer.rules.fence;
  md.renderer.rules.fence = (tokens, idx, opts, env, self) => {
    const html = defaultFence ? defaultFence(tokens, idx, opts, env, self) : self.renderToken(tokens, idx, opts);
    return html.replace(/^<pre/, '<pre tabindex="0"');
  };

  const defaultLinkOpen = md.renderer.rules.link_open;
  md.renderer.rules.link_open = (tokens, idx, opts, env, self) => {
    const token = tokens[idx];
    const href = String(token?.attrGet('href') ?? '');
    if (token && href.startsWith('#step:')) {
      token.attrSet('data-step-mark', href.slice('#step:'.length));
      token.attrJoin('class', 'step-link');
    } else if (token && /^#compare:[a-z0-9-]+,[a-z0-9-]+$/.test(href)) {
      // [text](#compare:presetA,presetB): runs two of the lesson's presets and compares them.
      token.attrSet('data-compare', href.slice('#compare:'.length));
      token.attrJoin('class', 'compare-link');
    } else if (token && href.startsWith('#line:')) {
      // [`code`](#line:file.py): the line of that program holding the code.
      const code = tokens[idx + 1]?.type === 'code_inline' ? (tokens[idx + 1]?.content ?? '') : '';
      token.attrSet('data-program-file', href.slice('#line:'.length));
      token.attrSet('data-program-code', code);
      token.attrJoin('class', 'line-link');
    } else if (token && /^https?:/i.test(href)) {
      token.attrSet('rel', 'noopener noreferrer');
      token.attrSet('target', '_blank');
    }
    return defaultLinkOpen ? defaultLinkOpen(tokens, idx, opts, env, self) : self.renderToken(tokens, idx, opts);
  };

  md.core.ruler.push('min_heading_level', (state) => {
    for (const token of state.tokens) {
      if ((token.type === 'heading_open' || token.type === 'heading_close') && token.tag === 'h1') token.tag = 'h2';
    }
  });
  return md;
}

const renderer = createRenderer();

export function renderMarkdown(text: string, env: MarkdownEnv): string {
  return renderer.render(text, { ...env });
}

export function renderMarkdownInline(text: string, env: MarkdownEnv): string {
  return renderer.renderInline(text, { ...env });
}

/** The fact names a Markdown text refers to. */
export function factNames(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g)].map((m) => m[1]!);
}
