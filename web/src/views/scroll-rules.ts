/**
 * The arithmetic of a list in its own scroll box under a sticky head: where to scroll so that a
 * band of it shows, and how far a key moves the selection. Plain numbers, so it is tested alone;
 * `scroll-window.svelte.ts` applies it to the box.
 */

/**
 * The scroll offset that brings the band `[top, bottom]` (px in the list) to the middle of a
 * view `visible` px tall scrolled to `scrollTop`, or null when the band shows already with
 * `slack` px to spare at either end.
 */
export function scrollToShow(top: number, bottom: number, scrollTop: number, visible: number, slack: number): number | null {
  if (top >= scrollTop + slack && bottom <= scrollTop + visible - slack) return null;
  return Math.max(0, Math.round((top + bottom) / 2 - visible / 2));
}

/** Rows a PageUp / PageDown moves: a view's worth of `rowHeight` px rows, less one, at least one. */
export function pageRows(visible: number, rowHeight: number): number {
  return Math.max(1, Math.floor(visible / rowHeight) - 1);
}

/** How many rows a key moves the selection (↑ ↓ one, PageUp / PageDown `page`); undefined for any other key. */
export function keyMove(key: string, page: number): number | undefined {
  const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
  return Object.hasOwn(moves, key) ? moves[key] : undefined;
}
