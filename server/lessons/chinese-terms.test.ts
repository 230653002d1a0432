/**
 * The Chinese the lab shows uses the terms of the standard Chinese textbooks (谢希仁《计算机网络》,
 * the Chinese Kurose): a word that review found wrong does not come back.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../paths.js';

/** Wrong word → the word to use. */
const TERMS: Record<string, string> = {
  梯形图: '时序图 (a PLC term otherwise)',
  录制: '运行记录',
  无线电: '无线信号',
  序列号: '序号',
  最大报文段生存时间: '最长报文段寿命 (MSL)',
};

async function files(dir: string, keep: (name: string) => boolean): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await files(path, keep)));
    else if (keep(entry.name)) out.push(path);
  }
  return out;
}

describe('Chinese terms', () => {
  it('the page, the lessons, the experiments and the field texts use the textbook terms', async () => {
    const all = [
      join(projectRoot, 'web', 'src', 'i18n', 'zh-CN.ts'),
      ...(await files(join(projectRoot, 'lessons'), (n) => n === 'zh-CN.md')),
      ...(await files(join(projectRoot, 'server', 'experiments'), (n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))),
      ...(await files(join(projectRoot, 'server', 'contract'), (n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))),
    ];
    expect(all.length).toBeGreaterThan(10);
    const found: string[] = [];
    for (const file of all) {
      const text = await readFile(file, 'utf8');
      text.split('\n').forEach((line, i) => {
        for (const [wrong, right] of Object.entries(TERMS)) {
          if (line.includes(wrong)) found.push(`${file.slice(projectRoot.length + 1)}:${i + 1}: ${wrong} → ${right}`);
        }
      });
    }
    expect(found).toEqual([]);
  });
});
