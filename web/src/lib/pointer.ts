/** Whether the screen is touched, not pointed at: no hover, so texts say "tap", not "hover". */
export function touchScreen(): boolean {
  return typeof window !== 'undefined' && window.matchMedia('(hover: none)').matches;
}
