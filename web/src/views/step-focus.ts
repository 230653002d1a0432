import { tick } from 'svelte';

/**
 * Keyboard stepping keeps focus on the selected row: when focus is on an element inside
 * `within` other than the one whose `attr` is `step + 1` (steps count from 1 in the page), it
 * moves to that one once the page has drawn it. Call it from an `$effect`, so that it runs
 * again whenever `within` or `step` changes.
 */
export function keepFocusOnStep(within: Element | undefined, attr: `data-${string}`, step: number): void {
  const active = document.activeElement;
  if (!within || !(active instanceof HTMLElement || active instanceof SVGElement) || !within.contains(active)) return;
  const value = String(step + 1);
  if (active.getAttribute(attr) === value) return;
  void tick().then(() => within.querySelector<HTMLElement | SVGElement>(`[${attr}="${value}"]`)?.focus({ preventScroll: true }));
}
