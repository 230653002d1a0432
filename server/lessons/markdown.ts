/**
 * One language of a lesson (`<lang>.md`): a `---` YAML frontmatter, then Markdown in which
 * ```` ```predict ```` fenced blocks hold predict-then-run questions as YAML, and text between a
 * `::: when { param: value }` line and a `:::` line is about such runs only.
 */
import { Params } from '../contract/experiment.js';
import { Frontmatter, PredictSource, type LessonBlock } from './schema.js';
import { checkYaml, type Checked, type Locate } from './yaml-check.js';

export interface LessonText {
  title: string;
  summary: string;
  blocks: LessonBlock[];
  /** The file's lines (for finding where a fact or mark is used). */
  lines: string[];
  /** Where each predict block's fields are, by predict id. */
  predictAt: Map<string, Locate>;
  /** The `::: when` line of each conditional text block. */
  whenAt: Map<LessonBlock, string>;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/;
/** `::: when { target: closed-port }` opens text about such runs; `:::` closes it. */
const WHEN_OPEN = /^:::\s*when\b(.*)$/;
const WHEN_CLOSE = /^:::\s*$/;

/** Parses a lesson's Markdown file; `file` names it in messages. */
export function parseLessonMarkdown(source: string, file: string): Checked<LessonText> {
  const lines = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  const issues: string[] = [];

  if (lines[0]?.trim() !== '---') {
    return { ok: false, issues: [`${file}:1: must start with a '---' line, then title and summary, then '---'`] };
  }
  const close = lines.findIndex((line, i) => i > 0 && line.trim() === '---');
  if (close < 0) return { ok: false, issues: [`${file}:1: the frontmatter's closing '---' line is missing`] };
  const front = checkYaml(Frontmatter, lines.slice(1, close).join('\n'), file, 2, 'frontmatter');
  if (!front.ok) issues.push(...front.issues);

  const blocks: LessonBlock[] = [];
  const predictAt = new Map<string, Locate>();
  const whenAt = new Map<LessonBlock, string>();
  let markdown: string[] = [];
  /** The open `::: when` section: its parameters and line. */
  let when: { params: Params | null; line: number } | null = null;
  const flushMarkdown = () => {
    const text = markdown.join('\n').trim();
    if (text) {
      const block: LessonBlock = when?.params ? { type: 'markdown', text, when: when.params } : { type: 'markdown', text };
      blocks.push(block);
      if (when) whenAt.set(block, `${file}:${when.line}`);
    }
    markdown = [];
  };

  let i = close + 1;
  while (i < lines.length) {
    const line = lines[i]!;
    const whenOpen = WHEN_OPEN.exec(line);
    if (whenOpen || WHEN_CLOSE.test(line)) {
      if (whenOpen && when) issues.push(`${file}:${i + 1}: a '::: when' section is already open (since line ${when.line}); close it with ':::' first`);
      else if (!whenOpen && !when) issues.push(`${file}:${i + 1}: ':::' closes no '::: when' section`);
      flushMarkdown();
      if (whenOpen) {
        const checked = checkYaml(Params, whenOpen[1]!.trim() || '~', file, i + 1, "'::: when'");
        if (!checked.ok) issues.push(...checked.issues);
        else if (Object.keys(checked.value).length === 0) issues.push(`${file}:${i + 1}: '::: when' names no parameters ({ target: closed-port })`);
        when = { params: checked.ok ? checked.value : null, line: i + 1 };
      } else when = null;
      i++;
      continue;
    }
    const open = FENCE.exec(line);
    if (!open) {
      markdown.push(line);
      i++;
      continue;
    }
    const fence = open[1]!;
    const end = findFenceEnd(lines, i + 1, fence);
    if (end < 0) {
      issues.push(`${file}:${i + 1}: this fenced block is never closed (no '${fence}' line after it)`);
      break;
    }
    if (open[2] === 'predict') {
      if (when) issues.push(`${file}:${i + 1}: a predict block cannot be inside a '::: when' section (give it a 'when' of its own)`);
      flushMarkdown();
      const checked = checkYaml(PredictSource, lines.slice(i + 1, end).join('\n'), file, i + 2, 'predict block');
      if (checked.ok) {
        blocks.push({ type: 'predict', ...checked.value });
        const fenceLine = i + 1;
        predictAt.set(checked.value.id, checked.locate ?? (() => `${file}:${fenceLine}`));
      }
      else issues.push(...checked.issues);
    } else {
      markdown.push(...lines.slice(i, end + 1));
    }
    i = end + 1;
  }
  flushMarkdown();
  if (when) issues.push(`${file}:${when.line}: this '::: when' section is never closed (no ':::' line after it)`);

  const seen = new Map<string, number>();
  for (const block of blocks) {
    if (block.type !== 'predict') continue;
    if (seen.has(block.id)) issues.push(`${file}: predict id '${block.id}' is used twice`);
    seen.set(block.id, 1);
    const values = block.choices.map((c) => String(c.value));
    if (new Set(values).size !== values.length) {
      issues.push(`${file}: predict '${block.id}': two choices have the same value`);
    }
  }

  if (issues.length > 0 || !front.ok) return { ok: false, issues };
  return { ok: true, value: { title: front.value.title, summary: front.value.summary, blocks, lines, predictAt, whenAt } };
}

/** Index of the line closing a fence opened with `fence`, or -1. */
function findFenceEnd(lines: string[], from: number, fence: string): number {
  const closing = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
  for (let j = from; j < lines.length; j++) if (closing.test(lines[j]!)) return j;
  return -1;
}

/** The fact names (`{{name}}`) and step marks (`#step:name`) a lesson's blocks refer to. */
export function references(blocks: readonly LessonBlock[]): { facts: string[]; marks: string[] } {
  const facts = new Set<string>();
  const marks = new Set<string>();
  const scan = (text: string | undefined) => {
    if (!text) return;
    for (const m of text.matchAll(/\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g)) facts.add(m[1]!);
    for (const m of text.matchAll(/\]\(#step:([A-Za-z0-9_.-]+)\)/g)) marks.add(m[1]!);
  };
  for (const block of blocks) {
    if (block.type === 'markdown') {
      scan(block.text);
    } else {
      facts.add(block.answer);
      scan(block.ask);
      scan(block.explain);
      for (const choice of block.choices) scan(choice.label);
    }
  }
  return { facts: [...facts].sort(), marks: [...marks].sort() };
}
