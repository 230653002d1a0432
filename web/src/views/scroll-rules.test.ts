import { describe, expect, it } from 'vitest';
import { keyMove, pageRows, scrollToShow } from './scroll-rules.ts';

describe('scrollToShow', () => {
  it('leaves the box where it is when the band shows with the slack to spare', () => {
    expect(scrollToShow(104, 130, 100, 400, 4)).toBeNull();
    expect(scrollToShow(100, 500, 100, 400, 0)).toBeNull();
  });

  it('centres a band that is above, below or too near an edge', () => {
    // Above the view: its middle (117) to the view's middle (200 down).
    expect(scrollToShow(104, 130, 300, 400, 4)).toBe(0);
    expect(scrollToShow(1004, 1030, 100, 400, 4)).toBe(817);
    // Within 4 px of the top edge counts as out of view; with no slack it is in.
    expect(scrollToShow(302, 328, 300, 400, 4)).toBe(115);
    expect(scrollToShow(302, 328, 300, 400, 0)).toBeNull();
    expect(scrollToShow(470, 498, 100, 400, 4)).toBe(284);
  });

  it('never scrolls above the top, and rounds to whole pixels', () => {
    expect(scrollToShow(0, 26, 500, 240, 0)).toBe(0);
    expect(scrollToShow(651, 676, 0, 201, 0)).toBe(563);
  });
});

describe('pageRows', () => {
  it('is a view of rows less one, at least one', () => {
    expect(pageRows(440, 44)).toBe(9);
    expect(pageRows(450, 44)).toBe(9);
    expect(pageRows(60, 44)).toBe(1);
    expect(pageRows(-40, 44)).toBe(1);
  });
});

describe('keyMove', () => {
  it('moves one row for the arrows and a page for PageUp / PageDown', () => {
    expect(keyMove('ArrowDown', 9)).toBe(1);
    expect(keyMove('ArrowUp', 9)).toBe(-1);
    expect(keyMove('PageDown', 9)).toBe(9);
    expect(keyMove('PageUp', 9)).toBe(-9);
  });

  it('does not move for other keys, inherited names included', () => {
    for (const key of ['Enter', ' ', 'Home', 'ArrowLeft', 'toString', 'constructor']) expect(keyMove(key, 9)).toBeUndefined();
  });
});
