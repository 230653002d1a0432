import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { findPython } from './python.js';
import { applySettings, javascriptLiteral, pythonLiteral } from './program-settings.js';

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

  it('JavaScript: replaces each top-level const/let NAME = value; line, keeping its `;` and comment', () => {
    const js = "const net = require('node:net');\nconst HOST = '127.0.0.1';   // this run's address\nlet PORT = 9000;\nconst MESSAGE = 'a;b'; // text\nconst HOSTNAME = 'x';\n  const PORT = 1;\n";
    const { source: out, applied } = applySettings(js, { HOST: '::1', PORT: 41000, MESSAGE: "it's" }, 'node');
    expect(applied).toEqual(['HOST', 'PORT', 'MESSAGE']);
    expect(out).toContain(`const HOST = "::1";   // this run's address\n`);
    expect(out).toContain('let PORT = 41000;\n');
    expect(out).toContain(`const MESSAGE = "it's"; // text\n`);
    expect(out).toContain("const HOSTNAME = 'x';\n  const PORT = 1;\n");
  });

  it('writes literals Node reads back as the same values', () => {
    const values = ['hello', "it's", 'back\\slash', 'line\nbreak', '中文', 42, 0.25, true, false];
    const program = values.map((v, i) => `const V${i} = ${javascriptLiteral(v)};`).join('\n') + `\nconsole.log(JSON.stringify([${values.map((_, i) => `V${i}`).join(', ')}]));`;
    const out = execFileSync(process.execPath, ['-e', program], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual(values);
  });
});
