/** Byte helpers shared by the inspector and the ladder. DOM-free. */

export function base64ToBytes(b64: string): Uint8Array {
  try {
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return new Uint8Array(0);
  }
}

export function hexByte(b: number): string {
  return b.toString(16).padStart(2, '0');
}

/** Printable ASCII as itself, everything else as a dot (as hex viewers do). */
export function asciiChar(b: number): string {
  return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
}

/** Bytes as text: UTF-8 when valid, else ASCII with dots. */
export function bytesAsText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return Array.from(bytes, asciiChar).join('');
  }
}

/** A short quoted preview with control characters made visible (`"hello\n"`). */
export function textPreview(bytes: Uint8Array, max = 24): string {
  const text = bytesAsText(bytes);
  const visible = text
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/[\u0000-\u001f\u007f]/g, '·');
  const cut = [...visible];
  return `"${cut.length > max ? `${cut.slice(0, max).join('')}…` : visible}"`;
}
