import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Value } from 'typebox/value';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LabError } from '../errors.js';
import type { ExperimentCatalog } from '../experiments/registry.js';
import { testCatalog } from '../test-experiments/catalog.js';
import { loadLessons as loadWith } from './load.js';
import { Lesson, LessonSummary } from '../contract/lessons.js';

let dir: string;
let catalog: ExperimentCatalog;
const loadLessons = (folder: string) => loadWith(folder, catalog);

beforeAll(async () => {
  catalog = await testCatalog();
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lessons-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(path: string, text: string) {
  const full = join(dir, path);
  await mkdir(join(full, '..'), { recursive: true });
  await writeFile(full, text);
}

const lessonYaml = `experiment: handshake
params:
  close: end
presets:
  - id: pause
    label: { en: Peer waits, zh-CN: 对端稍等 }
    params: { close: end-after-pause, pauseMs: 300 }
`;

const enMd = `---
title: The handshake
summary: Three segments open a connection.
---
# Open

The SYN's seq was {{syn.seq}}: see [the SYN](#step:syn).

\`\`\`predict
id: ack-number
ask: What will the SYN-ACK acknowledge?
answer: synack.ackMinusSynSeq
choices:
  - { label: "x", value: 0 }
  - { label: "x + 1", value: 1 }
explain: It acknowledges the SYN, which counts as one byte.
\`\`\`

## After

\`\`\`\`markdown
\`\`\`predict
not a question: this is an example inside another block
\`\`\`
\`\`\`\`
`;

const zhMd = `---
title: 三次握手
summary: 三个报文段建立连接。
---
序号 {{syn.seq}}。

\`\`\`predict
id: ack-number
ask: SYN-ACK 的确认号是多少？
answer: synack.ackMinusSynSeq
choices:
  - { label: "x", value: 0 }
  - { label: "x + 1", value: 1 }
\`\`\`
`;

async function writeGoodLesson(id = '02-tcp-handshake') {
  await write(`${id}/lesson.yaml`, lessonYaml);
  await write(`${id}/en.md`, enMd);
  await write(`${id}/zh-CN.md`, zhMd);
}

async function loadError(): Promise<LabError> {
  const err = await loadLessons(dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LabError);
  return err as LabError;
}

describe('loadLessons', () => {
  it('serves a lesson in each language, with blocks, presets and summaries matching the schemas', async () => {
    await writeGoodLesson();
    await write('01-intro/lesson.yaml', 'experiment: handshake\n');
    await write('01-intro/en.md', '---\ntitle: Intro\nsummary: First.\n---\nHello.\n');
    await write('README.md', 'not a lesson');
    const set = await loadLessons(dir);

    const list = set.list('zh-CN');
    expect(list.map((l) => [l.id, l.order, l.lang])).toEqual([
      ['01-intro', 1, 'en'],
      ['02-tcp-handshake', 2, 'zh-CN'],
    ]);
    for (const summary of list) expect(Value.Check(LessonSummary, summary)).toBe(true);

    const en = set.get('02-tcp-handshake', 'en');
    expect(Value.Check(Lesson, en)).toBe(true);
    expect(en.languages).toEqual(['en', 'zh-CN']);
    expect(en.params).toEqual({ close: 'end' });
    expect(en.presets).toEqual([
      { id: 'pause', label: 'Peer waits', params: { close: 'end-after-pause', pauseMs: 300 } },
    ]);
    expect(en.blocks.map((b) => b.type)).toEqual(['markdown', 'predict', 'markdown']);
    const predict = en.blocks[1];
    expect(predict).toMatchObject({
      type: 'predict',
      id: 'ack-number',
      answer: 'synack.ackMinusSynSeq',
      choices: [
        { label: 'x', value: 0 },
        { label: 'x + 1', value: 1 },
      ],
    });
    // A ```predict inside another fenced block stays Markdown.
    expect(en.blocks[2]).toMatchObject({ type: 'markdown' });
    expect((en.blocks[2] as { text: string }).text).toContain('not a question');

    const zh = set.get('02-tcp-handshake', 'zh-CN');
    expect(zh.lang).toBe('zh-CN');
    expect(zh.title).toBe('三次握手');
    expect(zh.presets[0]?.label).toBe('对端稍等');
  });

  it('falls back to English for a language the lesson lacks, and says so', async () => {
    await writeGoodLesson();
    const set = await loadLessons(dir);
    const fr = set.get('02-tcp-handshake', 'fr');
    expect(fr.lang).toBe('en');
    expect(fr.title).toBe('The handshake');
    expect(set.get('02-tcp-handshake', '__proto__').presets[0]?.label).toBe('Peer waits');
  });

  it('answers LESSON_NOT_FOUND (404) for an unknown id', async () => {
    await writeGoodLesson();
    const set = await loadLessons(dir);
    let caught: unknown;
    try {
      set.get('99-nope', 'en');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(LabError);
    expect((caught as LabError).code).toBe('LESSON_NOT_FOUND');
    expect((caught as LabError).statusCode).toBe(404);
  });

  it('names the file, line and field of a bad predict block', async () => {
    await writeGoodLesson();
    await write('02-tcp-handshake/en.md', enMd.replace('answer: synack.ackMinusSynSeq\n', ''));
    const err = await loadError();
    expect(err.code).toBe('LESSON_INVALID');
    // The block's YAML starts on line 10 of en.md.
    expect(err.message).toMatch(/02-tcp-handshake\/en\.md:10: .*missing field 'answer'/);
  });

  it('names the line of a wrongly typed field', async () => {
    await writeGoodLesson();
    await write('02-tcp-handshake/en.md', enMd.replace('{ label: "x + 1", value: 1 }', '{ label: "x + 1", value: [1] }'));
    const err = await loadError();
    expect(err.message).toMatch(/en\.md:15: predict block: field 'choices\[1\]\.value'/);
  });

  it('rejects unknown frontmatter fields and a missing frontmatter', async () => {
    await writeGoodLesson();
    await write('02-tcp-handshake/en.md', enMd.replace('summary:', 'titel: typo\nsummary:'));
    expect((await loadError()).message).toMatch(/en\.md:3: frontmatter: top level: unknown field 'titel'/);
    await write('02-tcp-handshake/en.md', '# no frontmatter\n');
    expect((await loadError()).message).toMatch(/en\.md:1: must start with a '---' line/);
  });

  it('rejects an unclosed fence, bad YAML, and lesson.yaml fields of the wrong type', async () => {
    await writeGoodLesson();
    await write('02-tcp-handshake/en.md', `${enMd}\n\`\`\`predict\nid: x\n`);
    expect((await loadError()).message).toMatch(/en\.md:\d+: this fenced block is never closed/);

    await writeGoodLesson();
    await write('02-tcp-handshake/lesson.yaml', lessonYaml.replace('pauseMs: 300', 'pauseMs: [300'));
    expect((await loadError()).message).toMatch(/lesson\.yaml:\d+: not valid YAML/);

    await write('02-tcp-handshake/lesson.yaml', lessonYaml.replace('close: end\n', 'close: { a: 1 }\n'));
    expect((await loadError()).message).toMatch(/lesson\.yaml:3: field 'params\.close'/);
  });

  it('requires lesson.yaml and en.md, a NN-slug folder name and unique orders', async () => {
    await write('02-tcp-handshake/zh-CN.md', zhMd);
    const err = await loadError();
    expect(err.message).toContain('02-tcp-handshake/lesson.yaml: missing');
    expect(err.message).toContain('02-tcp-handshake/en.md: missing');

    await rm(join(dir, '02-tcp-handshake'), { recursive: true });
    await writeGoodLesson('tcp');
    expect((await loadError()).message).toContain('a lesson folder is named NN-slug');

    await rm(join(dir, 'tcp'), { recursive: true });
    await writeGoodLesson('02-a');
    await writeGoodLesson('2-b');
    expect((await loadError()).message).toMatch(/order 2 is also used by/);
  });

  it('requires translations to ask the same questions with the same answers', async () => {
    await writeGoodLesson();
    await write('02-tcp-handshake/zh-CN.md', zhMd.replace('answer: synack.ackMinusSynSeq', 'answer: synack.ack'));
    expect((await loadError()).message).toMatch(/zh-CN\.md: its predict blocks differ from en\.md/);
  });

  it('reports a lessons folder that cannot be read', async () => {
    const err = await loadLessons(join(dir, 'missing')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LabError);
    expect((err as LabError).code).toBe('LESSON_INVALID');
  });

  describe('checks a lesson against its experiment, naming the file and line', () => {
    it('refuses an unknown experiment', async () => {
      await writeGoodLesson();
      await write('02-tcp-handshake/lesson.yaml', lessonYaml.replace('experiment: handshake', 'experiment: handshak'));
      expect((await loadError()).message).toMatch(/02-tcp-handshake\/lesson\.yaml:1: no experiment "handshak" \(known: .*handshake/);
    });

    it('refuses a fact or a step mark the experiment does not provide', async () => {
      await writeGoodLesson();
      await write('02-tcp-handshake/en.md', enMd.replace('{{syn.seq}}', '{{syn.sequence}}').replace('#step:syn)', '#step:syn1)'));
      const message = (await loadError()).message;
      expect(message).toMatch(/02-tcp-handshake\/en\.md:7: \{\{syn\.sequence\}\} is not a fact of handshake/);
      expect(message).toMatch(/02-tcp-handshake\/en\.md:7: #step:syn1 is not a step mark of handshake/);
    });

    it('refuses a link to a line no program of the experiment has', async () => {
      await writeGoodLesson();
      const good = '[`conn, addr = sk.accept()`](#line:server.py)';
      await write('02-tcp-handshake/en.md', enMd.replace('{{syn.seq}}', `{{syn.seq}} ${good} [\`sk.accept_all()\`](#line:server.py) [\`x\`](#line:evil.py)`));
      const message = (await loadError()).message;
      expect(message).toMatch(/02-tcp-handshake\/en\.md:7: no line of server\.py holds `sk\.accept_all\(\)`/);
      expect(message).toMatch(/02-tcp-handshake\/en\.md:7: #line:evil\.py is not a program of handshake \(it has: server\.py, client\.py, server\.js, client\.js\)/);
      expect(message).not.toMatch(/conn, addr = sk\.accept\(\)/);
    });

    it('refuses a predict answer that is not a fact', async () => {
      await writeGoodLesson();
      await write('02-tcp-handshake/en.md', enMd.replace('answer: synack.ackMinusSynSeq', 'answer: synack.guess'));
      await write('02-tcp-handshake/zh-CN.md', zhMd.replace('answer: synack.ackMinusSynSeq', 'answer: synack.guess'));
      expect((await loadError()).message).toMatch(/en\.md:12: answer "synack\.guess" is not a fact of handshake/);
    });

    it('refuses a preset with bad parameters, and lesson parameters the experiment does not take', async () => {
      await writeGoodLesson();
      await write('02-tcp-handshake/lesson.yaml', lessonYaml.replace('pauseMs: 300', 'pauseMs: 99999'));
      expect((await loadError()).message).toMatch(/lesson\.yaml:7: Parameter "pauseMs" must be an integer from 0 to 2000; got 99999/);
      await write('02-tcp-handshake/lesson.yaml', lessonYaml.replace('close: end\n', 'colour: red\n'));
      expect((await loadError()).message).toMatch(/lesson\.yaml:3: Unknown parameter "colour" for handshake/);
    });

    it('refuses a predict tied to a missing parameter or preset', async () => {
      await writeGoodLesson();
      const tie = (md: string, line: string) => md.replace('answer: synack.ackMinusSynSeq\n', `answer: synack.ackMinusSynSeq\n${line}\n`);
      await write('02-tcp-handshake/en.md', tie(enMd, 'when: { colour: red }'));
      await write('02-tcp-handshake/zh-CN.md', tie(zhMd, 'when: { colour: red }'));
      expect((await loadError()).message).toMatch(/en\.md:13: Unknown parameter "colour" for handshake/);
      await write('02-tcp-handshake/en.md', tie(enMd, 'preset: nope'));
      await write('02-tcp-handshake/zh-CN.md', tie(zhMd, 'preset: nope'));
      expect((await loadError()).message).toMatch(/en\.md:13: the lesson has no preset "nope" \(it has: pause\)/);
    });

    it('refuses a translation whose question assumes another run', async () => {
      await writeGoodLesson();
      await write('02-tcp-handshake/en.md', enMd.replace('answer: synack.ackMinusSynSeq\n', 'answer: synack.ackMinusSynSeq\npreset: pause\n'));
      expect((await loadError()).message).toMatch(/zh-CN\.md: its predict blocks differ from en\.md in id, answer, choice values or the run they assume/);
    });

    it('serves the run a question assumes, and presets named from the experiment', async () => {
      await writeGoodLesson();
      const tie = (md: string) => md.replace('answer: synack.ackMinusSynSeq\n', 'answer: synack.ackMinusSynSeq\npreset: pause\n');
      await write('02-tcp-handshake/en.md', tie(enMd));
      await write('02-tcp-handshake/zh-CN.md', tie(zhMd));
      await write('02-tcp-handshake/lesson.yaml', `${lessonYaml}  - ipv6\n`);
      const set = await loadLessons(dir);
      const en = set.get('02-tcp-handshake', 'en');
      expect(Value.Check(Lesson, en)).toBe(true);
      expect(en.blocks[1]).toMatchObject({ type: 'predict', assumes: { preset: 'pause', params: { close: 'end-after-pause', pauseMs: 300 } } });
      expect(en.blocks[1]).not.toHaveProperty('preset');
      expect(en.presets[1]).toEqual({ id: 'ipv6', label: 'Same over IPv6 (::1)', params: { close: 'end', ipVersion: 6 } });
      expect(set.get('02-tcp-handshake', 'zh-CN').presets[1]?.label).toBe('换成 IPv6（::1）');
      await write('02-tcp-handshake/lesson.yaml', `${lessonYaml}  - ipv7\n`);
      expect((await loadError()).message).toMatch(/lesson\.yaml:8: the experiment handshake has no preset "ipv7" \(it has: peer-waits, /);
    });

    it('serves text about some runs only with the parameters it is about, and checks them', async () => {
      await writeGoodLesson();
      const closed = '\n::: when { target: closed-port }\nNothing listens: {{connect.error}}.\n:::\n\nAfter.\n';
      await write('02-tcp-handshake/en.md', enMd.replace('## After\n', `## After\n${closed}`));
      const blocks = (await loadLessons(dir)).get('02-tcp-handshake', 'en').blocks;
      expect(blocks).toContainEqual({ type: 'markdown', text: 'Nothing listens: {{connect.error}}.', when: { target: 'closed-port' } });
      expect(blocks.find((b) => b.type === 'markdown' && b.text.startsWith('After'))).not.toHaveProperty('when');

      const line = enMd.split('\n').indexOf('## After') + 3;
      await write('02-tcp-handshake/en.md', enMd.replace('## After\n', `## After\n${closed.replace('closed-port', 'closed-door')}`));
      expect((await loadError()).message).toMatch(new RegExp(`en\\.md:${line}: '::: when': .*target`));
      await write('02-tcp-handshake/en.md', enMd.replace('## After\n', `## After\n${closed.replace('target', 'targt')}`));
      expect((await loadError()).message).toMatch(new RegExp(`en\\.md:${line}: '::: when': .*targt`));
      await write('02-tcp-handshake/en.md', enMd.replace('## After\n', `## After\n${closed.replace(/:::\n\nAfter/, 'After')}`));
      expect((await loadError()).message).toMatch(new RegExp(`en\\.md:${line}: this '::: when' section is never closed`));
      await write('02-tcp-handshake/en.md', `${enMd}\n:::\n`);
      expect((await loadError()).message).toMatch(/en\.md:\d+: ':::' closes no '::: when' section/);
    });

    it('loads a lesson for a test-only experiment from its own folder', async () => {
      const set = await loadWith(join(import.meta.dirname, '..', 'test-experiments', 'lessons'), catalog);
      const lesson = set.get('01-udp-echo', 'zh-CN');
      expect(lesson.experiment).toBe('udp-echo');
      expect(lesson.presets).toEqual([{ id: 'three', label: '三个数据报', params: { message: 'ping', count: 3 } }]);
      expect(lesson.blocks.find((b) => b.type === 'predict')).toMatchObject({ assumes: { preset: 'three', params: { count: 3 } } });
    });
  });
});
