/**
 * A run's settings written into a program's source: each top-level line `NAME = value` whose
 * NAME is a setting gets the run's value, as a literal of the program's language. The program
 * shown is then exactly the program that ran (`PORT = 9000`, `MESSAGE = 'hello'`), with no
 * hidden configuration. A line the source does not have is left out: an edited program may
 * drop a setting and use its own value.
 */
import type { ParamValue } from '../contract/experiment.js';
import type { ProgramLang } from '../contract/trace.js';

/** A Python literal: `'hello'`, `9000`, `0.2`, `True`. */
export function pythonLiteral(value: ParamValue): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'None';
  // Printable text without quotes or backslashes reads best in single quotes; else JSON's escapes, which Python reads alike.
  return /^[\x20-\x7e\u00a0-\uffff]*$/.test(value) && !/['\\]/.test(value) ? `'${value}'` : JSON.stringify(value);
}

/** A JavaScript literal. */
export function javascriptLiteral(value: ParamValue): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** How each language writes a setting: the line's start before the value, and a value's literal. */
const RULES: Record<ProgramLang, { head: (name: string) => string; literal: (value: ParamValue) => string }> = {
  // `PORT = 9000  # comment`
  python: { head: (name) => `^(${name}[ \\t]*=[ \\t]*)`, literal: pythonLiteral },
  // `const PORT = 9000;  // comment` (or let, var)
  node: { head: (name) => `^((?:const|let|var)[ \\t]+${name}[ \\t]*=[ \\t]*)`, literal: javascriptLiteral },
};

/** A value as it stands after `=`: a quoted string, or text up to a comment, a `;` or the line's end. */
const VALUE = String.raw`('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|[^#\n;]*?)`;

/**
 * Writes each setting's value into the first top-level settings line of `source` for its name
 * (see RULES). Returns the new source and the names it found.
 */
export function applySettings(
  source: string,
  settings: Readonly<Record<string, ParamValue>>,
  lang: ProgramLang,
): { source: string; applied: string[] } {
  const rule = RULES[lang];
  const applied: string[] = [];
  let text = source;
  for (const [name, value] of Object.entries(settings)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
    const line = new RegExp(`${rule.head(name)}${VALUE}([ \\t]*(?:[#;].*|//.*)?)$`, 'm');
    if (!line.test(text)) continue;
    text = text.replace(line, (_, before: string, _old: string, after: string) => `${before}${rule.literal(value)}${after}`);
    applied.push(name);
  }
  return { source: text, applied };
}
