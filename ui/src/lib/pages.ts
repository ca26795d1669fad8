// What both preview views share: a column of page canvases in a scrolling pane, the page in
// view, going to a page, and where each page is for the marks drawn over it.

export abstract class PagesOnScreen {
  /** The canvases on screen, one per page, in order. */
  protected pages: HTMLCanvasElement[] = [];
  /** What each canvas shows: the page's look, or null when it must be drawn again. */
  protected looks: (string | null)[] = [];
  /** Counts what was asked: an answer older than the newest is dropped. */
  protected generation = 0;
  /** CSS pixels per point (the zoom). */
  scale = 1.0;
  pageCount = 0;
  /** Called after every swap, with the milliseconds it took to put the pages on screen. */
  onShown: (ms: number) => void = () => {};

  constructor(
    protected host: HTMLElement,
    protected scroller: HTMLElement,
  ) {}

  /** The page (1-based) whose middle is in view. */
  currentPage(): number {
    const mid = this.scroller.scrollTop + this.scroller.clientHeight / 2;
    let n = 1;
    for (const [i, c] of this.pages.entries()) {
      if (c.offsetTop <= mid) n = i + 1;
    }
    return n;
  }

  /** Where each page is on screen, for marks drawn over it: its top left corner in its
   * positioned parent, and CSS pixels per point. */
  places(): { left: number; top: number; perPt: number }[] {
    return this.pages.map((c) => {
      const ptw = Number(c.dataset.ptw) || c.clientWidth;
      return { left: c.offsetLeft, top: c.offsetTop, perPt: c.clientWidth / ptw };
    });
  }

  goto(n: number) {
    const c = this.pages[Math.min(Math.max(n, 1), this.pages.length) - 1];
    if (c) this.scroller.scrollTop = c.offsetTop - 8;
  }

  /** Every page's pixels freed and forgotten, and whatever is on its way dropped. */
  protected leave() {
    this.generation++;
    for (const c of this.pages) {
      c.width = 0;
      c.height = 0;
    }
    this.pages = [];
    this.looks = [];
  }
}
