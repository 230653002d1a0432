/** Scrolling a chosen step into view, gently and only as far as needed. */

/** 'auto' when the reader asked for reduced motion, else 'smooth'. */
export function scrollBehavior(): ScrollBehavior {
  return window.matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth';
}

/**
 * Scrolls `box` (a scrolling ladder) so the row of `step` (1-based `data-step`) is visible,
 * centred when it was out of view or `center` is set. Only the box scrolls, never the window.
 */
export function revealRow(box: HTMLElement, step: number, center = false): void {
  if (box.scrollHeight <= box.clientHeight + 1) return;
  const row = box.querySelector<Element>(`[data-step="${step}"]`);
  if (!row) return;
  const boxRect = box.getBoundingClientRect();
  const rowRect = row.getBoundingClientRect();
  const margin = 24;
  const inView = rowRect.top >= boxRect.top + margin && rowRect.bottom <= boxRect.bottom - margin;
  if (inView && !center) return;
  const offset = rowRect.top - boxRect.top - (box.clientHeight - rowRect.height) / 2;
  box.scrollTo({ top: box.scrollTop + offset, behavior: center ? scrollBehavior() : 'auto' });
}

/** Scrolls the window so the top of `el` shows when it sits below the bottom part of the screen. */
export function revealTop(el: Element | null, reserve = 160): void {
  if (!el) return;
  const top = el.getBoundingClientRect().top;
  if (top > window.innerHeight - reserve) window.scrollBy({ top: top - window.innerHeight * 0.45, behavior: scrollBehavior() });
}
