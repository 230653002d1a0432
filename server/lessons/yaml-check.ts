/**
 * Parses a piece of YAML and checks it against a TypeBox schema, reporting each problem with
 * the file, the line and the field, so an author can find it.
 */
import type { TSchema, Static } from 'typebox';
import { Value } from 'typebox/value';
import { LineCounter, parseDocument, isMap, isNode, isScalar } from 'yaml';

export type Checked<T> = { ok: true; value: T } | { ok: false; issues: string[] };

/** `file:line` of a field (or its nearest existing parent), e.g. `['params', 'pauseMs']`. */
export type Locate = (path: readonly (string | number)[]) => string;

/**
 * `source` is the YAML text; `file` names it in messages; `firstLine` is the file line on
 * which `source` starts (1 for a whole file).
 */
export function checkYaml<S extends TSchema>(
  schema: S,
  source: string,
  file: string,
  firstLine = 1,
  /** Prefixes each message, e.g. `predict block`. */
  context = '',
): Checked<Static<S>> & { locate?: Locate } {
  const where = context ? `${context}: ` : '';
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false });
  const at = (offset: number) => `${file}:${lineCounter.linePos(offset).line + firstLine - 1}`;
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((e) => `${at(e.pos[0])}: ${where}not valid YAML: ${firstSentence(e.message)}`),
    };
  }
  const value: unknown = doc.toJS({ maxAliasCount: 50 }) ?? {};
  if (Value.Check(schema, value)) {
    const locate: Locate = (path) => at(offsetOf(doc, path.map(String)));
    return { ok: true, value: value as Static<S>, locate };
  }

  const issues: string[] = [];
  for (const error of Value.Errors(schema, value)) {
    if (error.keyword === 'boolean') continue; // repeated by the `additionalProperties` error
    const path = error.instancePath.split('/').slice(1).map(unescapePointer);
    const field = path.length === 0 ? 'top level' : `field '${fieldName(path)}'`;
    let message = error.message;
    let located = path;
    if (error.keyword === 'additionalProperties') {
      const extra = (error.params as { additionalProperties?: unknown }).additionalProperties;
      if (Array.isArray(extra) && extra.length > 0) located = [...path, String(extra[0])];
      message = `unknown field ${Array.isArray(extra) ? extra.map((x) => `'${String(x)}'`).join(', ') : ''}`.trim();
    } else if (error.keyword === 'required') {
      const missing = (error.params as { requiredProperties?: unknown }).requiredProperties;
      message = `missing field ${Array.isArray(missing) ? missing.map((x) => `'${String(x)}'`).join(', ') : ''}`.trim();
    }
    issues.push(`${at(offsetOf(doc, located))}: ${where}${field}: ${message}`);
  }
  return {
    ok: false,
    issues: issues.length > 0 ? issues : [`${file}:${firstLine}: ${where}does not match the expected shape`],
  };
}

/** `choices.1.value` → `choices[1].value`. */
function fieldName(path: string[]): string {
  return path.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function unescapePointer(part: string): string {
  return part.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Offset of the deepest node on `path` that exists (the field itself, or its parent). */
function offsetOf(doc: ReturnType<typeof parseDocument>, path: string[]): number {
  for (let n = path.length; n >= 0; n--) {
    const keys = path.slice(0, n).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    const node = n === 0 ? doc.contents : doc.getIn(keys, true);
    if (isNode(node) && node.range) return node.range[0];
    if (n > 0) {
      // A key whose value is not a node (e.g. `extra:` with nothing after it): find the key.
      const parent = n === 1 ? doc.contents : doc.getIn(keys.slice(0, -1), true);
      if (isMap(parent)) {
        const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === keys[n - 1]);
        if (pair && isScalar(pair.key) && pair.key.range) return pair.key.range[0];
      }
    }
  }
  return 0;
}

function firstSentence(message: string): string {
  return message.split('\n')[0] ?? message;
}
