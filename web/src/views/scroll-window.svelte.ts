import { drawnIndices, visibleRange, type TimelineModel } from './timeline/timeline-model.ts';
import { keyMove, pageRows, scrollToShow } from './scroll-rules.ts';

/** Rows drawn beyond the visible ones, above and below, in px. */
export const MARGIN_PX = 640;
/** The most rows a virtualised list has in the page at once (plus the selected one). */
export const MAX_ROWS = 300;

/**
 * A list's own scroll box with a sticky head, read at most once a frame as it scrolls. The
 * component binds `box` (bind:this), `viewHeight` (the box's clientHeight) and `headHeight`
 * (the head's offsetHeight), and calls `onScroll` from the box's scroll event.
 */
export class ScrollWindow {
  box = $state<HTMLElement>();
  scrollTop = $state(0);
  viewHeight: number;
  headHeight: number;
  #frame = 0;

  /** The sizes assumed until the page has measured the box and its head. */
  constructor(viewHeight: number, headHeight: number) {
    this.viewHeight = $state(viewHeight);
    this.headHeight = $state(headHeight);
  }

  /** The height under the head, where rows show. */
  get visible(): number {
    return Math.max(0, this.viewHeight - this.headHeight);
  }

  onScroll = (): void => {
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      if (this.box) this.scrollTop = this.box.scrollTop;
    });
  };

  /**
   * The indices of the rows to draw (rows at `ys`, `rowHeight` tall): those in view, and a margin
   * above and below, at most MAX_ROWS; and `extra` (the selected one) wherever it is.
   */
  drawn(rows: Pick<TimelineModel, 'ys' | 'rowHeight'>, extra: number | null): number[] {
    return drawnIndices(visibleRange(rows, this.scrollTop, this.scrollTop + this.visible, MARGIN_PX, MAX_ROWS), extra);
  }

  /** Scrolls the band `[top, bottom]` of the list to the middle of the box, unless it shows with `slack` px to spare. */
  reveal(top: number, bottom: number, slack = 4): void {
    const box = this.box;
    if (!box) return;
    const to = scrollToShow(top, bottom, box.scrollTop, box.clientHeight - this.headHeight, slack);
    if (to === null) return;
    box.scrollTop = to;
    this.scrollTop = box.scrollTop;
  }

  /** Scrolls row `index` (of rows at `ys`, `rowHeight` tall) into view, as `reveal`; null: none. */
  revealRow(rows: Pick<TimelineModel, 'ys' | 'rowHeight'>, index: number | null): void {
    if (index === null) return;
    const y = rows.ys[index]!;
    this.reveal(y, y + rows.rowHeight);
  }

  /** How many rows of `rowHeight` px a key moves the selection (↑ ↓, PageUp / PageDown a view); undefined for other keys. */
  keyMove(key: string, rowHeight: number): number | undefined {
    return keyMove(key, pageRows(this.viewHeight - this.headHeight, rowHeight));
  }
}
