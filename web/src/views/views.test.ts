import { describe, expect, it } from 'vitest';
import { chooseView, FALLBACK_VIEWS, noteText, viewId, viewsFor } from './views.ts';

describe('views of a run', () => {
  it('shows the views the experiment names, in its order, each once', () => {
    const views = viewsFor({
      views: [{ kind: 'timeline', lanes: 'stages' }, { kind: 'notes' }, { kind: 'timeline', lanes: 'stages' }, { kind: 'ladder' }],
    });
    expect(views.map(viewId)).toEqual(['timeline-stages', 'notes', 'ladder']);
  });

  it('falls back to the ladder and the timeline by connection for an unknown experiment', () => {
    expect(viewsFor(null).map(viewId)).toEqual(['ladder', 'timeline-connections']);
    expect(viewsFor(undefined)).toEqual(FALLBACK_VIEWS);
    // A server that names no views, or only views this page does not know.
    expect(viewsFor({ views: [] }).map(viewId)).toEqual(['ladder', 'timeline-connections']);
    expect(viewsFor({ views: [{ kind: 'pie' }] as never }).map(viewId)).toEqual(['ladder', 'timeline-connections']);
  });

  it('keeps the remembered choice only while the experiment names it', () => {
    const views = viewsFor({ views: [{ kind: 'ladder' }, { kind: 'timeline', lanes: 'programs' }] });
    expect(viewId(chooseView(views, 'timeline-programs'))).toBe('timeline-programs');
    expect(viewId(chooseView(views, 'notes'))).toBe('ladder');
    expect(viewId(chooseView(views, null))).toBe('ladder');
  });
});

describe('note texts', () => {
  const texts = { notes: { 'hmac.digest': 'digest of {n} bytes: {hex}', 'handshake.done': 'done' } };

  it('fills the experiment template from the note values', () => {
    expect(noteText({ key: 'hmac.digest', values: { n: 32, hex: 'ab12' } }, texts)).toBe('digest of 32 bytes: ab12');
    expect(noteText({ key: 'handshake.done' }, texts)).toBe('done');
  });

  it('gives word values in the experiment\'s words for the language, numbers and other values as they are', () => {
    const zh = { notes: { 'auth.verdict': '比较：{result}（{received} 字节，{compare}）' }, words: { accepted: '接受', rejected: '拒绝' } };
    expect(noteText({ key: 'auth.verdict', values: { result: 'rejected', received: 16, compare: '==' } }, zh)).toBe('比较：拒绝（16 字节，==）');
    expect(noteText({ key: 'auth.verdict', values: { result: 'toString', received: 0, compare: 'accepted' } }, zh)).toBe('比较：toString（0 字节，接受）');
  });

  it('says the key when the experiment has no words for it', () => {
    expect(noteText({ key: 'other.step' }, texts)).toBe('other.step');
    expect(noteText({ key: 'toString' }, texts)).toBe('toString');
    expect(noteText({ key: 'hmac.digest' }, null)).toBe('hmac.digest');
  });
});
