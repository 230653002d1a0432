/** A QR code as one SVG path (dark modules), from the `qrcode` library's matrix. DOM-free. */
import { create } from 'qrcode';

export interface QrPath {
  /** Modules per side, plus the quiet zone on each side. */
  size: number;
  d: string;
}

/** Four modules of quiet zone, as the standard asks. */
const QUIET = 4;

export function qrPath(text: string): QrPath {
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  let d = '';
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (modules.get(row, col)) d += `M${col + QUIET} ${row + QUIET}h1v1h-1z`;
    }
  }
  return { size: modules.size + 2 * QUIET, d };
}
