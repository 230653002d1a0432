import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Value } from 'typebox/value';
import { afterAll, describe, expect, it } from 'vitest';
import { VERDICTS } from '../contract/byte-stream.js';
import { LANGS, unmetCondition } from '../contract/experiment.js';
import { isLabError } from '../errors.js';
import { testCatalog } from '../test-experiments/catalog.js';
import { ExperimentCatalog, labCatalog } from './registry.js';

function codeOf(fn: () => unknown): { code: string; status: number; message: string } | null {
  try {
    fn();
    return null;
  } catch (err) {
    return isLabError(err) ? { code: err.code, status: err.statusCode, message: err.message } : null;
  }
}

describe('the catalogue of experiments', async () => {
  const lab = await labCatalog();
  const catalog = await testCatalog();

  it('finds every folder of server/experiments, and only those, in the lab', () => {
    const ids = lab.list().map((e) => e.id);
    expect(ids).toContain('handshake');
    expect(ids).not.toContain('udp-echo');
    expect(catalog.list().map((e) => e.id)).toEqual(expect.arrayContaining([...ids, 'udp-echo', 'hold']));
  });

  it('lists each with texts in every language, a JSON schema, defaults, presets, views and facts', () => {
    for (const e of catalog.list()) {
      expect(e.params.type).toBe('object');
      expect((e.params as Record<string, unknown>).additionalProperties).toBe(false);
      expect(Value.Check(e.params as never, e.defaults)).toBe(true);
      expect(e.views.length).toBeGreaterThan(0);
      for (const lang of LANGS) {
        expect(e.texts[lang].title, `${e.id} ${lang}`).toBeTruthy();
        expect(e.title[lang]).toBe(e.texts[lang].title);
        for (const name of Object.keys(e.defaults)) expect(e.texts[lang].params[name]?.label, `${e.id}.${name}`).toBeTruthy();
        for (const preset of e.presets) expect(e.texts[lang].presets[preset.id], `${e.id} preset ${preset.id}`).toBeTruthy();
      }
      for (const preset of e.presets) {
        expect(Value.Check(e.params as never, { ...e.defaults, ...preset.params }), `${e.id}/${preset.id}`).toBe(true);
      }
    }
    const echo = catalog.info('udp-echo');
    expect(echo.defaults).toEqual({ count: 2, message: 'ping' });
    expect(echo.presets).toEqual([{ id: 'three', params: { count: 3 } }]);
    expect(echo.views).toEqual([{ kind: 'timeline', lanes: 'programs' }, { kind: 'notes' }]);
    expect(echo.facts).toEqual(['echo.datagrams']);
    expect(echo.marks).toEqual(['first-datagram']);
    expect(echo.timeLimitMs).toBe(5000);
    expect(catalog.info('hold').timeLimitMs).toBe(30_000);
  });

  it('has words in every language for the word values its facts and notes report', () => {
    const sticky = lab.info('sticky');
    const auth = lab.info('auth');
    for (const lang of LANGS) {
      for (const verdict of VERDICTS) expect(sticky.texts[lang].words?.[verdict], `sticky ${lang} ${verdict}`).toBeTruthy();
      for (const framing of Object.keys(sticky.texts[lang].params['framing']!.values!)) {
        expect(sticky.texts[lang].words?.[framing], `sticky ${lang} framing ${framing}`).toBeTruthy();
      }
      for (const result of ['accepted', 'rejected']) expect(auth.texts[lang].words?.[result], `auth ${lang} ${result}`).toBeTruthy();
    }
    expect(sticky.texts['zh-CN'].words?.['lost']).toBe('消息边界丢失');
  });

  it('carries when a parameter applies: the handshake\'s pause only when the peer waits', () => {
    const handshake = catalog.info('handshake');
    expect(handshake.appliesWhen?.pauseMs).toEqual({ target: ['listening'], close: ['end-after-pause'] });
    expect(unmetCondition('pauseMs', handshake.defaults, handshake.appliesWhen)).toEqual({ param: 'close', values: ['end-after-pause'] });
    expect(unmetCondition('pauseMs', { ...handshake.defaults, close: 'end-after-pause' }, handshake.appliesWhen)).toBeNull();
    expect(unmetCondition('ipVersion', { ...handshake.defaults, target: 'closed-port' }, handshake.appliesWhen)).toBeNull();
    expect(unmetCondition('message', { ...handshake.defaults, target: 'closed-port' }, handshake.appliesWhen)).toEqual({ param: 'target', values: ['listening'] });
    expect(catalog.info('udp-echo').appliesWhen).toBeUndefined();
  });

  it('runs an experiment from its compiled module', () => {
    expect(catalog.runModule('udp-echo')).toMatch(/dist\/server\/test-experiments\/udp-echo\/program\.js$/);
  });

  it('fills defaults and reads numbers given as text', () => {
    expect(catalog.resolveParams('udp-echo', undefined)).toEqual({ count: 2, message: 'ping' });
    expect(catalog.resolveParams('udp-echo', { count: '4' })).toEqual({ count: 4, message: 'ping' });
    expect(catalog.resolveParams('udp-echo', { message: '42' })).toEqual({ count: 2, message: '42' });
    expect(catalog.resolveParams('hold', { ipVersion: '6' }).ipVersion).toBe(6);
    expect(catalog.resolveParams('udp-echo', { message: '' }).message).toBe('');
  });

  it('rejects unknown experiments with EXPERIMENT_UNKNOWN (404)', () => {
    expect(codeOf(() => catalog.get('nope'))).toMatchObject({ code: 'EXPERIMENT_UNKNOWN', status: 404 });
    expect(codeOf(() => catalog.resolveParams('nope', {}))).toMatchObject({ code: 'EXPERIMENT_UNKNOWN', status: 404 });
    expect(codeOf(() => catalog.info(['udp-echo']))).toMatchObject({ code: 'EXPERIMENT_UNKNOWN' });
  });

  it.each([
    [{ count: 0 }, 'count'],
    [{ count: 6 }, 'count'],
    [{ count: 1.5 }, 'count'],
    [{ count: 'many' }, 'count'],
    [{ message: 'x'.repeat(65) }, 'message'],
    [{ message: 42 }, 'message'],
    [{ extra: 1 }, 'extra'],
    [{ count: { n: 1 } }, 'count'],
  ])('rejects %j naming the parameter', (input, name) => {
    const err = codeOf(() => catalog.resolveParams('udp-echo', input));
    expect(err).toMatchObject({ code: 'PARAMS_INVALID', status: 400 });
    expect(err!.message).toContain(`"${name}"`);
  });

  it('rejects parameters that are not an object', () => {
    for (const input of [[], 'count=3', 7]) {
      expect(codeOf(() => catalog.resolveParams('udp-echo', input))?.code).toBe('PARAMS_INVALID');
    }
  });

  it('titles a run by what differs from the defaults', () => {
    expect(catalog.runTitle('udp-echo', catalog.resolveParams('udp-echo', {}))).toBe('UDP echo');
    expect(catalog.runTitle('udp-echo', catalog.resolveParams('udp-echo', { count: 3 }))).toBe('UDP echo (count=3)');
    expect(catalog.runTitle('udp-echo', { count: 1, message: 'y'.repeat(64) }).length).toBeLessThanOrEqual(200);
  });
});

describe('a broken experiment folder', () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  async function folderWith(name: string, source: string, program: string | null = 'export default async () => {};'): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'socket-lab-experiments-'));
    dirs.push(dir);
    await mkdir(join(dir, name));
    await writeFile(join(dir, name, 'index.mjs'), source);
    if (program !== null) await writeFile(join(dir, name, 'program.mjs'), program);
    return dir;
  }

  const good = (over: string) => `
    const text = { title: 't', description: 'd', params: { n: { label: 'N', help: 'h' } }, presets: { big: 'Big' }, notes: {} };
    export default {
      id: 'toy', views: [{ kind: 'notes' }],
      params: { type: 'object', additionalProperties: false, properties: { n: { type: 'integer', minimum: 0, maximum: 9, default: 1 } } },
      presets: { big: { n: 9 } },
      texts: { en: text, 'zh-CN': text },
      ${over}
    };`;

  it('loads when it is whole', async () => {
    const catalog = await ExperimentCatalog.load([await folderWith('toy', good(''))]);
    expect(catalog.info('toy').defaults).toEqual({ n: 1 });
  });

  it.each([
    ["id: 'other',", 'differs from its folder'],
    ["presets: { big: { n: 10 } },", 'preset "big"'],
    ["views: [{ kind: 'pie' }],", 'not a known view'],
    ["texts: { en: text },", 'no zh-CN texts'],
    ["texts: { en: { ...text, words: { kept: 'kept' } }, 'zh-CN': text },", 'zh-CN: the word "kept" has no zh-CN text (en has one)'],
    ["params: { type: 'object', additionalProperties: false, properties: { n: { type: 'integer' } } },", 'has no default'],
    ["appliesWhen: { m: { n: [1] } },", 'appliesWhen: "m" is not a parameter'],
    ["appliesWhen: { n: { n: [1] } },", 'appliesWhen.n: "n" is not another parameter'],
    ["params: { type: 'object', additionalProperties: false, properties: { n: { type: 'integer', default: 1 }, on: { type: 'boolean', default: true } } }, appliesWhen: { n: { on: ['yes'] } },", 'appliesWhen.n.on: "yes" is not a value it takes'],
  ])('is refused at load, naming the folder: %s', async (over, problem) => {
    const dir = await folderWith('toy', good(over));
    const err = await ExperimentCatalog.load([dir]).catch((e: unknown) => e);
    expect(isLabError(err) && err.code).toBe('EXPERIMENT_INVALID');
    expect(String((err as Error).message)).toContain(`${dir}/toy: `);
    expect(String((err as Error).message)).toContain(problem);
  });

  it('a folder whose name cannot be an id is named, not skipped', async () => {
    const dir = await folderWith('Toy_1', good(''));
    const err = await ExperimentCatalog.load([dir]).catch((e: unknown) => e);
    expect(isLabError(err) && err.code).toBe('EXPERIMENT_INVALID');
    expect(String((err as Error).message)).toContain(`${dir}/Toy_1: the folder name is the experiment's id`);
  });

  it.each([
    [null, 'it has no program module'],
    ['export default { run() {} };', 'its program module does not default-export a function'],
  ])('is refused when its program is missing or not a function: %s', async (program, problem) => {
    const dir = await folderWith('toy', good(''), program);
    const err = await ExperimentCatalog.load([dir]).catch((e: unknown) => e);
    expect(isLabError(err) && err.code).toBe('EXPERIMENT_INVALID');
    expect(String((err as Error).message)).toContain(`${dir}/toy: ${problem}`);
  });

  it('a module that throws is named too', async () => {
    const dir = await folderWith('toy', "throw new Error('boom');");
    const err = await ExperimentCatalog.load([dir]).catch((e: unknown) => e);
    expect(String((err as Error).message)).toMatch(/toy: cannot be loaded: boom/);
  });
});

describe('nothing but its folder names an experiment', () => {
  it('no source outside an experiment\'s folder (tests and lessons aside) has its id as a string', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const { projectRoot } = await import('../paths.js');
    const lab = await labCatalog();
    const files: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (!['node_modules', 'fixtures', 'test-experiments', 'test-support'].includes(entry.name)) await walk(path);
        } else if (/\.(ts|svelte)$/.test(entry.name) && !entry.name.endsWith('.test.ts')) files.push(path);
      }
    };
    await walk(join(projectRoot, 'server'));
    await walk(join(projectRoot, 'web', 'src'));
    expect(files.length).toBeGreaterThan(50);
    const found: string[] = [];
    for (const { id } of lab.list()) {
      const own = join(projectRoot, 'server', 'experiments', id);
      const literal = new RegExp(`['"\`]${id}['"\`]`);
      for (const file of files) {
        if (file.startsWith(own)) continue;
        if (literal.test(await readFile(file, 'utf8'))) found.push(`${file}: "${id}"`);
      }
    }
    expect(found).toEqual([]);
  });
});
