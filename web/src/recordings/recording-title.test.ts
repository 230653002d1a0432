import { describe, expect, it } from 'vitest';
import type { ExperimentInfo } from '../lib/api-types.ts';
import { recordingTitle } from './recording-title.ts';

const handshake: ExperimentInfo = {
  id: 'handshake',
  title: { en: 'TCP handshake and teardown', 'zh-CN': 'TCP 握手与挥手' },
  description: { en: '', 'zh-CN': '' },
  params: {},
  defaults: { ipVersion: 4, closer: 'client', pauseMs: 200, message: 'hello' },
  presets: [],
  views: [{ kind: 'ladder' }],
  facts: [],
  marks: [],
  timeLimitMs: 10_000,
  programs: [{ lang: 'python', files: ['server.py', 'client.py'] }],
  texts: {
    en: {
      title: 'TCP handshake and teardown',
      description: '',
      params: {
        closer: { label: 'Who closes first', help: '', values: { client: 'Client', server: 'Server' } },
        pauseMs: { label: 'Pause before the peer closes (ms)', help: '' },
      },
      presets: {},
      notes: {},
    },
    'zh-CN': {
      title: 'TCP 握手与挥手',
      description: '',
      params: {
        closer: { label: '谁先关闭', help: '', values: { client: '客户端', server: '服务器' } },
        pauseMs: { label: '对端关闭前的等待时间（毫秒）', help: '' },
      },
      presets: {},
      notes: {},
    },
  },
};

const run = {
  id: 'r1',
  title: 'TCP handshake and teardown',
  experiment: 'handshake',
  params: { ipVersion: 4, closer: 'server', pauseMs: 500, message: 'hello' },
};

describe('recordingTitle', () => {
  it('names a run by the experiment in the page’s language and what differs from the defaults', () => {
    const en = recordingTitle(run, handshake, 'en');
    expect(en).toBe('TCP handshake and teardown · Server · Pause before the peer closes (ms): 500');
    expect(recordingTitle({ ...run, params: handshake.defaults }, handshake, 'zh-CN')).toBe('TCP 握手与挥手');
    expect(recordingTitle(run, handshake, 'zh-CN')).toBe('TCP 握手与挥手 · 服务器 · 对端关闭前的等待时间（毫秒）: 500');
    expect(recordingTitle({ ...run, title: 'TCP handshake and teardown (closer=server)' }, handshake, 'en')).toMatch(/^TCP handshake and teardown · Server/);
  });

  it('keeps an imported capture’s own title, and a run of an unknown experiment as it is', () => {
    expect(recordingTitle({ ...run, title: 'my.pcapng' }, handshake, 'zh-CN')).toBe('my.pcapng');
    expect(recordingTitle(run, undefined, 'zh-CN')).toBe('TCP handshake and teardown');
    expect(recordingTitle({ ...run, title: '' }, undefined, 'en')).toBe('r1');
  });

  it('names a preset’s run by the preset, in the page’s language', () => {
    const withPreset: ExperimentInfo = {
      ...handshake,
      presets: [{ id: 'server-closes', params: { closer: 'server' } }],
      texts: {
        en: { ...handshake.texts.en, presets: { 'server-closes': 'Server closes first' } },
        'zh-CN': { ...handshake.texts['zh-CN'], presets: { 'server-closes': '服务器先关闭' } },
      },
    };
    const serverFirst = { ...run, params: { ...handshake.defaults, closer: 'server' } };
    expect(recordingTitle(serverFirst, withPreset, 'zh-CN')).toBe('TCP 握手与挥手 · 服务器先关闭');
    expect(recordingTitle(serverFirst, withPreset, 'en')).toBe('TCP handshake and teardown · Server closes first');
    // Not exactly the preset: what differs, in words.
    expect(recordingTitle(run, withPreset, 'en')).toBe('TCP handshake and teardown · Server · Pause before the peer closes (ms): 500');
  });
});
