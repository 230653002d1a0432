import { describe, expect, it } from 'vitest';
import { create } from 'qrcode';
import { qrPath } from './qr.ts';

describe('qrPath', () => {
  it("draws exactly the library's dark modules, inside a quiet zone", () => {
    const text = 'http://192.168.1.20:7357/join/ABC234';
    const { size, d } = qrPath(text);
    const { modules } = create(text, { errorCorrectionLevel: 'M' });
    expect(size).toBe(modules.size + 8);
    let dark = 0;
    for (let r = 0; r < modules.size; r++) for (let c = 0; c < modules.size; c++) if (modules.get(r, c)) dark++;
    expect(d.match(/M/g)).toHaveLength(dark);
    // The top-left finder pattern starts right after the quiet zone.
    expect(d.startsWith('M4 4h1v1h-1z')).toBe(true);
  });
});
