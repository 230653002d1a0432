import { randomBytes } from 'node:crypto';

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * A sortable, unguessable recording id, to the millisecond it was made:
 * `20261126-182900-123-k3j9x2`.
 */
export function newRecordingId(now = new Date()): string {
  const iso = now.toISOString();
  const stamp = `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}-${iso.slice(20, 23)}`;
  return `${stamp}-${randomBytes(5).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
}

export function isRecordingId(id: string): boolean {
  return ID_PATTERN.test(id);
}
