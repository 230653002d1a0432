/** The page's routes (history API). DOM-free. */

export type Route =
  | { name: 'lessons' }
  | { name: 'lesson'; id: string }
  | { name: 'recordings' }
  | { name: 'recording'; id: string }
  /** Joining a room: `/join` (type the code) or `/join/CODE` (a link or a QR code). */
  | { name: 'join'; code: string | null }
  | { name: 'compare' }
  | { name: 'not-found' };

function segment(text: string): string | null {
  try {
    const id = decodeURIComponent(text);
    return id.length > 0 && !id.includes('/') ? id : null;
  } catch {
    return null;
  }
}

export function matchRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/') return { name: 'lessons' };
  if (path === '/recordings') return { name: 'recordings' };
  if (path === '/join') return { name: 'join', code: null };
  const joinCode = /^\/join\/([^/]+)$/.exec(path);
  if (joinCode) {
    const code = segment(joinCode[1]!);
    if (code) return { name: 'join', code };
  }
  if (path === '/compare') return { name: 'compare' };
  const lesson = /^\/lessons\/([^/]+)$/.exec(path);
  if (lesson) {
    const id = segment(lesson[1]!);
    if (id) return { name: 'lesson', id };
  }
  const rec = /^\/recordings\/([^/]+)$/.exec(path);
  if (rec) {
    const id = segment(rec[1]!);
    if (id) return { name: 'recording', id };
  }
  return { name: 'not-found' };
}

/**
 * Parses `?step=N` (1-based, as the counter shows it; 0 is kept so the page can say there is no
 * such step); null when absent or not a whole number.
 */
export function parseStep(value: string | null): number | null {
  if (value === null || !/^\d{1,9}$/.test(value)) return null;
  return Number(value);
}

/** `search` with the given keys set (or removed when null), keeping the others. */
export function withQuery(search: string, changes: Record<string, string | null>): string {
  const params = new URLSearchParams(search);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) params.delete(key);
    else params.set(key, value);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
