import { describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import { isLabError } from '../errors.js';
import { getExperiment, listExperiments, resolveParams, runTitle } from './registry.js';

function codeOf(fn: () => unknown): { code: string; status: number; message: string } | null {
  try {
    fn();
    return null;
  } catch (err) {
    return isLabError(err) ? { code: err.code, status: err.statusCode, message: err.message } : null;
  }
}

describe('experiment registry', () => {
  it('lists each experiment with titles in both languages, a JSON schema and defaults', () => {
    const list = listExperiments();
    expect(list.map((e) => e.id)).toContain('handshake');
    for (const e of list) {
      expect(e.title.en && e.title['zh-CN'] && e.description.en && e.description['zh-CN']).toBeTruthy();
      expect(e.params.type).toBe('object');
      expect((e.params as unknown as Record<string, unknown>).additionalProperties).toBe(false);
      expect(Value.Check(e.params, e.defaults)).toBe(true);
      for (const [name, prop] of Object.entries(e.params.properties as Record<string, Record<string, unknown>>)) {
        expect(prop.default, name).toBeDefined();
        expect(prop.title, name).toBeTypeOf('string');
      }
    }
  });

  it('gives the handshake parameters the documented names, values and defaults', () => {
    const handshake = listExperiments().find((e) => e.id === 'handshake')!;
    expect(handshake.defaults).toEqual({
      ipVersion: 4,
      target: 'listening',
      closer: 'client',
      close: 'end',
      pauseMs: 200,
      message: 'hello',
    });
    const props = handshake.params.properties as Record<string, Record<string, unknown>>;
    expect(props.ipVersion!.enum).toEqual([4, 6]);
    expect(props.target!.enum).toEqual(['listening', 'closed-port']);
    expect(props.closer!.enum).toEqual(['client', 'server']);
    expect(props.close!.enum).toEqual(['end', 'end-after-pause', 'destroy']);
    expect([props.pauseMs!.minimum, props.pauseMs!.maximum]).toEqual([0, 2000]);
    expect(props.message!.maxLength).toBe(256);
  });

  it('fills defaults and reads numbers given as text', () => {
    expect(resolveParams('handshake', undefined)).toEqual(listExperiments()[0]!.defaults);
    expect(resolveParams('handshake', { ipVersion: '6', pauseMs: '500', close: 'destroy' })).toMatchObject({
      ipVersion: 6,
      pauseMs: 500,
      close: 'destroy',
      closer: 'client',
    });
    expect(resolveParams('handshake', { message: '' }).message).toBe('');
  });

  it('rejects unknown experiments with EXPERIMENT_UNKNOWN (404)', () => {
    expect(codeOf(() => getExperiment('nope'))).toMatchObject({ code: 'EXPERIMENT_UNKNOWN', status: 404 });
    expect(codeOf(() => resolveParams('nope', {}))).toMatchObject({ code: 'EXPERIMENT_UNKNOWN', status: 404 });
  });

  it.each([
    [{ ipVersion: 5 }, 'ipVersion'],
    [{ pauseMs: 2001 }, 'pauseMs'],
    [{ pauseMs: 1.5 }, 'pauseMs'],
    [{ pauseMs: 'soon' }, 'pauseMs'],
    [{ close: 'slam' }, 'close'],
    [{ message: 'x'.repeat(257) }, 'message'],
    [{ message: 42 }, 'message'],
    [{ extra: 1 }, 'extra'],
    [{ pauseMs: { n: 1 } }, 'pauseMs'],
  ])('rejects %j naming the parameter', (input, name) => {
    const err = codeOf(() => resolveParams('handshake', input));
    expect(err).toMatchObject({ code: 'PARAMS_INVALID', status: 400 });
    expect(err!.message).toContain(`"${name}"`);
  });

  it('rejects parameters that are not an object', () => {
    for (const input of [[], 'ipVersion=6', 7]) {
      expect(codeOf(() => resolveParams('handshake', input))?.code).toBe('PARAMS_INVALID');
    }
  });

  it('titles a run by what differs from the defaults', () => {
    expect(runTitle('handshake', resolveParams('handshake', {}))).toBe('TCP handshake and teardown');
    expect(runTitle('handshake', resolveParams('handshake', { ipVersion: 6 }))).toBe('TCP handshake and teardown (ipVersion=6)');
    expect(runTitle('handshake', resolveParams('handshake', { message: 'y'.repeat(256) })).length).toBeLessThanOrEqual(200);
  });
});
