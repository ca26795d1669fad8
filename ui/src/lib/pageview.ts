// The live preview of a letter being composed: the core draws each page from the frames
// its PDF is written from (saraban_raster) and sends a PNG of each page whose look changed;
// this view paints them into one canvas per page. A page whose look is unchanged is not
// sent and not touched; a changed page is painted over in place, in one task, so nothing
// flickers and the zoom and scroll stay where the clerk left them. No PDF is parsed here:
// the web process holds the pages' pixels and nothing else — and only of the pages in or
// near view: a page scrolled far away gives its pixels back (2 MB at the usual zoom) and is
// asked of the core again when the clerk scrolls back to it.
import { pagesNearView, type PagePicture } from "./preview";
import { PagesOnScreen } from "./pages";

export class PageView extends PagesOnScreen {
  /** Pages (0-based) whose pixels were given back: their look is known, their canvas empty. */
  private freed = new Set<number>();
  /** Device pixels per point the core should draw at: the zoom on this screen. */
  pixelsPerPoint(): number {
    return this.scale * (window.devicePixelRatio || 1);
  }

  /** The look each page on screen shows, in page order ("" for one to draw again): the
   * core does not send a page whose look is the one shown at its place. */
  known(): string[] {
    // Where the pages are is read only when one gave its pixels back (reading it lays the
    // page out, and this runs at every keystroke).
    const near = this.freed.size ? this.near() : null;
    return this.looks.map((l, i) => (near?.has(i) && this.freed.has(i) ? "" : (l ?? "")));
  }

  /** Whether a page in or near view has no pixels (the clerk scrolled to it): the caller
   * asks the core for it. Asked at every scroll event. */
  wantsPixels(): boolean {
    if (!this.freed.size) return false;
    const near = this.near();
    return [...this.freed].some((i) => near.has(i));
  }

  /** The pages within a screen's height of the part of the pane in view. */
  private near(): Set<number> {
    const places = this.pages.map((c) => ({ top: c.offsetTop, height: c.offsetHeight }));
    const h = this.scroller.clientHeight;
    return pagesNearView(places, this.scroller.scrollTop, h, h);
  }

  /** Pages far from view give their pixels back (their CSS size stays, so nothing moves). */
  private release() {
    const near = this.near();
    this.pages.forEach((c, i) => {
      if (near.has(i) || this.freed.has(i)) return;
      c.width = 0;
      c.height = 0;
      this.freed.add(i);
    });
  }

  /** Shows the core's pages: the changed ones decoded first, then all swapped in at once. */
  async show(pages: PagePicture[]): Promise<void> {
    const started = performance.now();
    const gen = ++this.generation;
    const ratio = window.devicePixelRatio || 1;
    // Decoded off the main thread; a newer answer makes these moot.
    const bitmaps = await Promise.all(
      pages.map((p) => (p.png ? createImageBitmap(new Blob([p.png as BlobPart], { type: "image/png" })) : null)),
    );
    if (gen !== this.generation) {
      for (const b of bitmaps) b?.close();
      return;
    }
    const canvases: HTMLCanvasElement[] = [];
    const looks: (string | null)[] = [];
    let redrawn = 0;
    for (const [i, p] of pages.entries()) {
      const bitmap = bitmaps[i];
      const old = this.pages[i];
      if (!bitmap) {
        // Not sent: this page shows this look already.
        canvases.push(old ?? this.blank(p, ratio));
        looks.push(old ? p.look : null);
        continue;
      }
      // Painted over in place when the size is the same: no new pixel buffer per keystroke.
      const reuse = old && old.width === p.width && old.height === p.height;
      const c = reuse ? old : this.blank(p, ratio);
      c.getContext("2d")!.drawImage(bitmap, 0, 0);
      bitmap.close();
      this.freed.delete(i);
      c.classList.remove("pending");
      canvases.push(c);
      looks.push(p.look);
      redrawn++;
    }
    // A canvas's pixels are freed only when it is collected; shrinking the ones no longer
    // shown frees them now.
    const kept = new Set(canvases);
    for (const c of this.pages) {
      if (!kept.has(c)) {
        c.width = 0;
        c.height = 0;
      }
    }
    const top = this.scroller.scrollTop;
    const left = this.scroller.scrollLeft;
    if (canvases.length !== this.pages.length || canvases.some((c, i) => c !== this.pages[i])) {
      this.host.replaceChildren(...canvases);
      this.scroller.scrollTop = top;
      this.scroller.scrollLeft = left;
    }
    this.pages = canvases;
    this.looks = looks;
    this.pageCount = pages.length;
    for (const i of this.freed) if (i >= pages.length) this.freed.delete(i);
    this.release();
    this.host.dataset.timing = `draw ${Math.round(performance.now() - started)}`;
    this.finish(gen, started, redrawn);
  }

  /** An empty page of the picture's size, its CSS size the zoom's. */
  private blank(p: PagePicture, ratio: number): HTMLCanvasElement {
    const c = document.createElement("canvas");
    c.width = p.width;
    c.height = p.height;
    c.style.width = `${Math.floor(p.width / ratio)}px`;
    c.style.height = `${Math.floor(p.height / ratio)}px`;
    c.className = "pdf-page";
    // Points across the page, for marks drawn over it (places()).
    c.dataset.ptw = String(p.width / (this.scale * ratio));
    return c;
  }

  /** The pages are on screen: the figures the tests and the bench read. */
  private finish(gen: number, started: number, redrawn: number) {
    this.pages.forEach((c, i) => (c.dataset.page = String(i + 1)));
    this.host.dataset.generation = String(gen);
    // Keystroke to page on screen (the input time is kept by the app's input listener).
    const input = (window as unknown as { __lastInput?: number }).__lastInput;
    if (input !== undefined) this.host.dataset.inputToShown = String(Math.round(performance.now() - input));
    this.onShown(performance.now() - started);
    this.host.dataset.redrawn = String(redrawn);
    this.host.dataset.settled = String(gen);
  }

  /** A new zoom: every page must be drawn again (the caller asks the core for them). */
  setZoom(scale: number) {
    this.scale = Math.min(3, Math.max(0.4, scale));
    this.looks = this.looks.map(() => null);
  }

  /** Leaves the screen to another view. */
  destroy() {
    this.freed.clear();
    this.leave();
  }
}
