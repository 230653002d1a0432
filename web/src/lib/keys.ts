/** Keyboard helpers: when a key belongs to a form control rather than to the page. DOM-light. */

/** True when typing in this element must not trigger page shortcuts. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (target as HTMLInputElement).type;
    return !['button', 'submit', 'reset', 'checkbox', 'radio'].includes(type);
  }
  return false;
}

/** True when the element acts on Space itself (buttons, links, radios, checkboxes). */
export function ownsSpace(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement || target instanceof SVGElement)) return false;
  const tag = target.tagName.toUpperCase();
  if (tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY' || tag === 'INPUT') return true;
  const role = target.getAttribute('role');
  return role === 'button' || role === 'link' || role === 'radio' || role === 'checkbox' || role === 'grid';
}

/** True when arrow keys move something inside this element (radio groups, grids). */
export function ownsArrows(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement || target instanceof SVGElement)) return false;
  if (target instanceof HTMLInputElement && (target.type === 'radio' || target.type === 'range')) return true;
  return target.closest('[role="grid"]') !== null;
}
