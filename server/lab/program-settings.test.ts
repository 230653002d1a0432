import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { findPython } from './python.js';
import { applySettings, pythonLiteral } from './program-settings.js';

const source = `import socket

HOST = '127.0.0.1'      # this run's address
PORT = 9000
MESSAGE = "hi # not a comment"
PAUSE = 0.2
    PORT = 1  # indented: not a setting
`;

describe("a run's settings in a program", () => {
  it('replaces the value of each top-level NAME = line and keeps its comment', () => {
    const { source: out, applied } = applySettings(source, { HOST: '::1', PORT: 41000, MESSAGE: "it's", PAUSE: 1.5, MISSING: 1 }, 'python');
    expect(applied).toEqual(['HOST', 'PORT', 'MESSAGE', 'PAUSE']);
    expect(out).toContain("HOST = '::1'      # this run's address\n");
    expect(out).toContain('PORT = 41000\n');
    expect(out).toContain(`MESSAGE = "it's"\n`);
    expect(out).toContain('PAUSE = 1.5\n');
    expect(out).toContain('    PORT = 1  # indented: not a setting');
  });

  it('writes literals Python reads back as the same values', () => {
    const python = findPython();
    if (!python) return;
    const values = ['hello', "it's", 'back\\slash', 'line\nbreak', '中文', 'tab\t', 42, 0.25, true, false];
    const program = values.map((v, i) => `V${i} = ${pythonLiteral(v)}`).join('\n') + `\nimport json\nprint(json.dumps([${values.map((_, i) => `V${i}`).join(', ')}]))`;
    const out = execFileSync(python, ['-c', program], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual(values);
  });
});
