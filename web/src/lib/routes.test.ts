import { describe, expect, it } from 'vitest';
import { matchRoute, parseStep, withQuery } from './routes.ts';

describe('matchRoute', () => {
  it('knows the page routes', () => {
    expect(matchRoute('/')).toEqual({ name: 'lessons' });
    expect(matchRoute('/lessons/02-tcp-handshake')).toEqual({ name: 'lesson', id: '02-tcp-handshake' });
    expect(matchRoute('/recordings')).toEqual({ name: 'recordings' });
    expect(matchRoute('/recordings/')).toEqual({ name: 'recordings' });
    expect(matchRoute('/recordings/abc_1')).toEqual({ name: 'recording', id: 'abc_1' });
    expect(matchRoute('/join')).toEqual({ name: 'join', code: null });
    expect(matchRoute('/join/ABC234')).toEqual({ name: 'join', code: 'ABC234' });
    expect(matchRoute('/lessons')).toEqual({ name: 'not-found' });
    expect(matchRoute('/lessons/a/b')).toEqual({ name: 'not-found' });
    expect(matchRoute('/recordings/%E0%A4%A')).toEqual({ name: 'not-found' });
  });
});

describe('parseStep', () => {
  it('accepts whole numbers only (0 too: the page says there is no step 0)', () => {
    expect(parseStep('3')).toBe(3);
    expect(parseStep('0')).toBe(0);
    expect(parseStep('-1')).toBeNull();
    expect(parseStep('2.5')).toBeNull();
    expect(parseStep(null)).toBeNull();
  });
});

describe('withQuery', () => {
  it('sets and removes keys, keeping the rest', () => {
    expect(withQuery('?rec=a&step=2', { step: '5' })).toBe('?rec=a&step=5');
    expect(withQuery('?rec=a&step=2', { rec: null, step: null })).toBe('');
    expect(withQuery('', { rec: 'x' })).toBe('?rec=x');
  });
});
