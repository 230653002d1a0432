/** A file-system failure said plainly: which folder, what the lab was doing, and the cause's code. */
import { LabError } from '../errors.js';

const CAUSES: Record<string, { code: string; status: number; words: string }> = {
  EROFS: { code: 'DISK_READ_ONLY', status: 503, words: 'the file system is read-only' },
  EACCES: { code: 'DISK_NOT_WRITABLE', status: 503, words: 'permission denied' },
  EPERM: { code: 'DISK_NOT_WRITABLE', status: 503, words: 'operation not permitted' },
  ENOSPC: { code: 'DISK_FULL', status: 507, words: 'no space left on the device' },
  EDQUOT: { code: 'DISK_FULL', status: 507, words: 'the disk quota is used up' },
  EIO: { code: 'DISK_IO', status: 503, words: 'an input/output error' },
};

/** The errno code of a Node file-system error, if it has one. */
export function errnoOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** `doing`: what failed, as words (`save the recording`). Other errors pass through unchanged. */
export function diskError(err: unknown, folder: string, doing: string): unknown {
  if (err instanceof LabError) return err;
  const errno = errnoOf(err);
  if (!errno) return err;
  const cause = CAUSES[errno] ?? { code: 'DISK_ERROR', status: 503, words: (err as Error).message };
  return new LabError(cause.code, `Could not ${doing} in ${folder}: ${cause.words} (${errno}).`, cause.status);
}
