import { describe, expect, it } from 'vitest';
import { appCallName, CALL_NAMES, callLangOf, callName } from './call-names.js';

describe('calls named in the program language', () => {
  it('names each call as Python and as Node.js write it', () => {
    expect(['connect', 'end', 'destroy', 'reset'].map((op) => callName('python', op))).toEqual(['connect()', 'shutdown(SHUT_WR)', 'close()', 'close() with SO_LINGER 0']);
    expect(['connect', 'end', 'destroy', 'reset'].map((op) => callName('node', op))).toEqual(['connect()', 'end()', 'destroy()', 'resetAndDestroy()']);
    expect(appCallName('python', { op: 'write', size: 5 })).toBe('sendall()');
    expect(appCallName('python', { op: 'read', size: 0 })).toBe("recv() → b''");
    expect(appCallName('python', { op: 'write', size: 5, peer: '127.0.0.1:53' })).toBe('sendto()');
    expect(appCallName('node', { op: 'read', size: 3 })).toBe("'data'");
  });

  it('has a name for every call in every language, and none for what is not a call', () => {
    const calls = Object.keys(CALL_NAMES.python).sort();
    expect(Object.keys(CALL_NAMES.node).sort()).toEqual(calls);
    for (const op of ['connected', 'state', 'error', 'toString', '__proto__']) expect(callName('python', op)).toBeUndefined();
  });

  it("takes a run's language from its programs; the lab's own sockets are Node.js", () => {
    expect(callLangOf({ programs: [{ lang: 'python' }] })).toBe('python');
    expect(callLangOf({})).toBe('node');
    expect(callLangOf(null)).toBe('node');
  });
});
