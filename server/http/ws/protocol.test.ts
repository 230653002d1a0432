import { describe, expect, it } from 'vitest';
import { parseClientMessage } from './protocol.js';

describe('parseClientMessage', () => {
  it('accepts the three client messages', () => {
    expect(parseClientMessage('{"type":"hello","token":"abc"}').ok).toBe(true);
    expect(parseClientMessage('{"type":"hello"}').ok).toBe(true);
    const run = parseClientMessage('{"type":"run","requestId":"r1","experiment":"handshake","params":{"ipVersion":6}}');
    expect(run).toMatchObject({ ok: true, message: { type: 'run', params: { ipVersion: 6 } } });
    expect(parseClientMessage('{"type":"cancel","runId":"x"}').ok).toBe(true);
  });

  it('refuses non-JSON, unknown types and unknown fields with stable codes', () => {
    expect(parseClientMessage('not json')).toMatchObject({ ok: false, code: 'MESSAGE_NOT_JSON' });
    expect(parseClientMessage('[]')).toMatchObject({ ok: false, code: 'MESSAGE_UNKNOWN_TYPE' });
    expect(parseClientMessage('{"type":"shutdown"}')).toMatchObject({ ok: false, code: 'MESSAGE_UNKNOWN_TYPE' });
    const extra = parseClientMessage('{"type":"hello","token":"a","admin":true}');
    expect(extra).toMatchObject({ ok: false, code: 'REQUEST_INVALID' });
    const nested = parseClientMessage('{"type":"run","requestId":"r","experiment":"handshake","params":{"x":{"y":1}}}');
    expect(nested).toMatchObject({ ok: false, code: 'REQUEST_INVALID' });
    expect(parseClientMessage('{"type":"run","requestId":"","experiment":"h","params":{}}')).toMatchObject({ ok: false });
  });
});
