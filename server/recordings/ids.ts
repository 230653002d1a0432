import { randomBytes } from 'node:crypto';

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** A sortable, unguessable recording id: `20261126-182900-k3j9x2`. */
export function newRecordingId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(5).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
}

export function isRecordingId(id: string): boolean {
  return ID_PATTERN.test(id);
}
