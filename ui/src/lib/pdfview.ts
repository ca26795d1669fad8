// The PDF viewer behind the live preview: pdf.js renders each new document into fresh
// canvases off screen, and only when the page in view is drawn are they swapped in, so the
// page never flickers and the zoom and scroll stay where the clerk left them. The old
// document is destroyed, so memory does not grow over a day of typing.
import * as pdfjs from "pdfjs-dist";
import workerUrl from "pdfjs-dist/build/pdf.worker.min.mjs?url";

pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;

// One worker for every document: starting a worker per render costs more than parsing.
let sharedWorker: pdfjs.PDFWorker | null = null;
function worker(): pdfjs.PDFWorker {
  sharedWorker ??= new pdfjs.PDFWorker();
  return sharedWorker;
}

export class PdfView {
  private doc: pdfjs.PDFDocumentProxy | null = null;
  private pages: HTMLCanvasElement[] = [];
  private generation = 0;
  /** A drawn canvas no longer on screen, of the page last in view: the next render of that
   * page draws into it (double buffering), instead of a new one per keystroke. */
  private spare: HTMLCanvasElement | undefined;
  scale = 1.0;
  pageCount = 0;
  /** Called after every swap, with the milliseconds from bytes to a visible page. */
  onShown: (ms: number) => void = () => {};

  constructor(
    private host: HTMLElement,
    private scroller: HTMLElement,
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

  /** Shows new PDF bytes. Resolves once the visible page is on screen. */
  async show(bytes: ArrayBuffer): Promise<void> {
    const started = performance.now();
    const gen = ++this.generation;
    const task = pdfjs.getDocument({
      data: new Uint8Array(bytes),
      worker: worker(),
      isEvalSupported: false,
      // Glyphs drawn from the embedded font's outlines: no FontFace to load and wait for.
      disableFontFace: (window as unknown as { __pdfFontFace?: boolean }).__pdfFontFace !== true,
      verbosity: 0,
    });
    const doc = await task.promise;
    const parsed = performance.now();
    if (gen !== this.generation) {
      await doc.destroy();
      return;
    }
    const visible = Math.min(this.currentPage(), doc.numPages);
    const canvases: HTMLCanvasElement[] = [];
    const draw = async (n: number, reuse?: HTMLCanvasElement) => {
      const page = await doc.getPage(n);
      const vp = page.getViewport({ scale: this.scale * (window.devicePixelRatio || 1) });
      const width = Math.floor(vp.width);
      const height = Math.floor(vp.height);
      // The canvas shown two renders ago, when it has the size: no new pixel buffer (and
      // no collection of the old one) for every keystroke.
      const reused = reuse !== undefined && reuse.width === width && reuse.height === height;
      const c = reused ? reuse : document.createElement("canvas");
      if (reused) {
        c.getContext("2d")!.setTransform(1, 0, 0, 1, 0, 0);
        c.getContext("2d")!.clearRect(0, 0, width, height);
      } else {
        c.width = width;
        c.height = height;
      }
      c.style.width = `${Math.floor(vp.width / (window.devicePixelRatio || 1))}px`;
      c.style.height = `${Math.floor(vp.height / (window.devicePixelRatio || 1))}px`;
      c.className = "pdf-page";
      c.dataset.page = String(n);
      await page.render({ canvas: c, canvasContext: c.getContext("2d")!, viewport: vp }).promise;
      page.cleanup();
      return c;
    };
    // Placeholders keep the scroll position while the other pages fill in; a letter's
    // pages share one paper size, so the visible page's size serves for all.
    const first = await doc.getPage(visible);
    const vp = first.getViewport({ scale: this.scale });
    for (let n = 1; n <= doc.numPages; n++) {
      const c = document.createElement("canvas");
      c.className = "pdf-page pending";
      c.dataset.page = String(n);
      c.style.width = `${Math.floor(vp.width)}px`;
      c.style.height = `${Math.floor(vp.height)}px`;
      canvases.push(c);
    }
    const placed = performance.now();
    const spare = this.spare;
    this.spare = undefined;
    canvases[visible - 1] = await draw(visible, spare);
    if (gen !== this.generation) {
      canvases[visible - 1].width = 0;
      canvases[visible - 1].height = 0;
    }
    this.host.dataset.timing = `parse ${Math.round(parsed - started)} place ${Math.round(placed - parsed)} draw ${Math.round(performance.now() - placed)}`;
    if (gen !== this.generation) {
      await doc.destroy();
      return;
    }
    const top = this.scroller.scrollTop;
    const left = this.scroller.scrollLeft;
    // A canvas's pixels are freed only when it is collected; shrinking the old ones frees
    // them now, so memory stays flat over a day of typing.
    const oldPages = this.pages;
    this.host.replaceChildren(...canvases);
    // The page that was in view is kept, off screen, for the next render to draw into.
    const keep = oldPages[Math.min(visible, oldPages.length) - 1];
    for (const c of oldPages) {
      if (c === keep && !c.classList.contains("pending")) continue;
      c.width = 0;
      c.height = 0;
    }
    this.spare = keep && !keep.classList.contains("pending") ? keep : undefined;
    this.scroller.scrollTop = top;
    this.scroller.scrollLeft = left;
    this.pages = canvases;
    const old = this.doc;
    this.doc = doc;
    this.pageCount = doc.numPages;
    this.host.dataset.generation = String(gen);
    // Keystroke to page on screen (the input time is kept by the app's input listener).
    const input = (window as unknown as { __lastInput?: number }).__lastInput;
    if (input !== undefined) this.host.dataset.inputToShown = String(Math.round(performance.now() - input));
    this.onShown(performance.now() - started);
    if (old) await old.destroy();
    // The other pages, after the visible one is on screen; a newer document stops them,
    // so the next keystroke never waits for pages out of view.
    void (async () => {
      try {
        for (let n = 1; n <= doc.numPages; n++) {
          if (n === visible) continue;
          if (gen !== this.generation) return;
          const c = await draw(n);
          if (gen !== this.generation) {
            c.width = 0;
            c.height = 0;
            return;
          }
          const placeholder = this.pages[n - 1];
          placeholder.replaceWith(c);
          placeholder.width = 0;
          placeholder.height = 0;
          this.pages[n - 1] = c;
        }
        // Every page drawn and the old document gone: nothing of this render is left to
        // do (the end-to-end tests wait for this before the next keystroke).
        if (gen === this.generation) this.host.dataset.settled = String(gen);
      } catch {
        // The document was replaced (and destroyed) while these pages were drawn.
      }
    })();
  }

  /** Redraws at another zoom, keeping the same page in view. */
  async zoom(scale: number): Promise<void> {
    const page = this.currentPage();
    this.scale = Math.min(3, Math.max(0.4, scale));
    if (!this.doc) return;
    const data = await this.doc.getData();
    await this.show(data.buffer as ArrayBuffer);
    this.goto(page);
  }

  goto(n: number) {
    const c = this.pages[Math.min(Math.max(n, 1), this.pages.length) - 1];
    if (c) this.scroller.scrollTop = c.offsetTop - 8;
  }

  async destroy() {
    this.generation++;
    if (this.doc) await this.doc.destroy();
    this.doc = null;
  }
}
