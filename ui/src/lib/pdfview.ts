// The viewer of stored PDFs (an issued letter, a received one, a routing sheet): pdf.js
// renders each document into fresh canvases off screen, and only when the page in view is
// drawn are they swapped in, so the page never flickers and the zoom and scroll stay where
// the clerk left them. The old document is destroyed, so memory does not grow. A letter
// being composed is not shown here but as the core's pictures (pageview.ts): this module,
// pdf.js and its worker are loaded only when a stored PDF is first shown.
import * as pdfjs from "pdfjs-dist";
import workerUrl from "pdfjs-dist/build/pdf.worker.min.mjs?url";
import { pagesToDraw } from "./preview";
import { PagesOnScreen } from "./pages";

pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;

// One worker for every document: starting a worker per render costs more than parsing.
let sharedWorker: pdfjs.PDFWorker | null = null;
function worker(): pdfjs.PDFWorker {
  sharedWorker ??= new pdfjs.PDFWorker();
  return sharedWorker;
}

export class PdfView extends PagesOnScreen {
  private doc: pdfjs.PDFDocumentProxy | null = null;
  /** The last document shown, for a redraw at another zoom. */
  private last: Uint8Array | null = null;
  /** A drawn canvas no longer on screen, of the page last in view: the next render of that
   * page draws into it (double buffering), instead of a new one per keystroke. */
  private spare: HTMLCanvasElement | undefined;

  /** Shows a new render. Resolves once the visible page is on screen; the other changed
   * pages follow, and a newer render stops them. */
  async show(pdf: Uint8Array): Promise<void> {
    const started = performance.now();
    const gen = ++this.generation;
    this.last = pdf;
    const ratio = window.devicePixelRatio || 1;
    const doc = await pdfjs.getDocument({
      // A copy: pdf.js hands its data to the worker, and a zoom draws this render again.
      data: pdf.slice(),
      worker: worker(),
      isEvalSupported: false,
      // Glyphs drawn from the embedded font's outlines: no FontFace to load and wait for.
      disableFontFace: (window as unknown as { __pdfFontFace?: boolean }).__pdfFontFace !== true,
      verbosity: 0,
    }).promise;
    const parsed = performance.now();
    if (gen !== this.generation) {
      await doc.destroy();
      return;
    }
    const count = doc.numPages;
    // A stored PDF: no page's look is known, every page is drawn.
    const looks = null as string[] | null;
    const todo = pagesToDraw(this.looks, looks, count);
    const visible = Math.min(this.currentPage(), count);
    const draw = async (n: number, reuse?: HTMLCanvasElement) => {
      const page = await doc.getPage(n);
      const vp = page.getViewport({ scale: this.scale * ratio });
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
      c.style.width = `${Math.floor(vp.width / ratio)}px`;
      c.style.height = `${Math.floor(vp.height / ratio)}px`;
      c.className = "pdf-page";
      c.dataset.page = String(n);
      c.dataset.ptw = String(vp.width / (this.scale * ratio));
      await page.render({ canvas: c, canvasContext: c.getContext("2d")!, viewport: vp }).promise;
      page.cleanup();
      return c;
    };
    // The new page list: a page whose look is unchanged keeps its canvas as it is; a
    // changed one keeps showing its old pixels (marked stale) until its new ones are drawn,
    // so nothing flickers; a new page holds its place with an empty one of the same size.
    // A placeholder's size (a letter's pages share one paper size), asked of pdf.js only
    // when a page is new: typing on a page that exists needs none.
    let vp: { width: number; height: number } | undefined;
    const canvases: HTMLCanvasElement[] = [];
    for (let n = 1; n <= count; n++) {
      const old = this.pages[n - 1];
      if (old && !todo.includes(n)) {
        canvases.push(old);
      } else if (old && !old.classList.contains("pending")) {
        old.classList.add("stale");
        canvases.push(old);
      } else {
        vp ??= (await doc.getPage(visible)).getViewport({ scale: this.scale });
        const c = document.createElement("canvas");
        c.className = "pdf-page pending";
        c.dataset.page = String(n);
        c.dataset.ptw = String(vp.width / this.scale);
        c.style.width = `${Math.floor(vp.width)}px`;
        c.style.height = `${Math.floor(vp.height)}px`;
        canvases.push(c);
      }
    }
    const newLooks: (string | null)[] = canvases.map((_, i) => (todo.includes(i + 1) ? null : this.looks[i]));
    const placed = performance.now();
    let redrawn = 0;
    if (todo.includes(visible)) {
      const spare = this.spare;
      this.spare = undefined;
      const c = await draw(visible, spare);
      redrawn++;
      if (gen !== this.generation) {
        c.width = 0;
        c.height = 0;
        await doc.destroy();
        return;
      }
      // The page that was in view is kept, off screen, for the next render to draw into.
      const was = canvases[visible - 1];
      canvases[visible - 1] = c;
      newLooks[visible - 1] = looks?.[visible - 1] ?? null;
      if (was.classList.contains("stale")) {
        was.classList.remove("stale");
        this.spare = was;
      }
    }
    this.host.dataset.timing = `parse ${Math.round(parsed - started)} place ${Math.round(placed - parsed)} draw ${Math.round(performance.now() - placed)}`;
    if (gen !== this.generation) {
      await doc.destroy();
      return;
    }
    const top = this.scroller.scrollTop;
    const left = this.scroller.scrollLeft;
    // A canvas's pixels are freed only when it is collected; shrinking the ones no longer
    // shown frees them now, so memory stays flat over a day of typing.
    const kept = new Set(canvases);
    for (const c of this.pages) {
      if (!kept.has(c) && c !== this.spare) {
        c.width = 0;
        c.height = 0;
      }
    }
    this.host.replaceChildren(...canvases);
    this.scroller.scrollTop = top;
    this.scroller.scrollLeft = left;
    this.pages = canvases;
    this.looks = newLooks;
    const old = this.doc;
    this.doc = doc;
    this.pageCount = count;
    const rest = todo.filter((n) => n !== visible);
    this.finish(gen, started, redrawn, rest);
    if (old) await old.destroy();
    // The other changed pages, after the visible one is on screen; a newer document stops
    // them, so the next keystroke never waits for pages out of view.
    void (async () => {
      try {
        for (const n of rest) {
          if (gen !== this.generation) return;
          const c = await draw(n);
          if (gen !== this.generation) {
            c.width = 0;
            c.height = 0;
            return;
          }
          const was = this.pages[n - 1];
          was.replaceWith(c);
          was.width = 0;
          was.height = 0;
          this.pages[n - 1] = c;
          this.looks[n - 1] = looks?.[n - 1] ?? null;
          redrawn++;
        }
        if (gen === this.generation) this.settle(gen, redrawn);
      } catch {
        // The document was replaced (and destroyed) while these pages were drawn.
      }
    })();
  }

  /** The visible page is on screen: the figures the tests and the bench read. */
  private finish(gen: number, started: number, redrawn: number, rest: number[]) {
    this.host.dataset.generation = String(gen);
    // Keystroke to page on screen (the input time is kept by the app's input listener).
    const input = (window as unknown as { __lastInput?: number }).__lastInput;
    if (input !== undefined) this.host.dataset.inputToShown = String(Math.round(performance.now() - input));
    this.onShown(performance.now() - started);
    if (rest.length === 0) this.settle(gen, redrawn);
  }

  /** Every changed page drawn: nothing of this render is left to do (the end-to-end tests
   * wait for this before the next keystroke), and how many pages it drew. */
  private settle(gen: number, redrawn: number) {
    this.host.dataset.redrawn = String(redrawn);
    this.host.dataset.settled = String(gen);
  }

  /** Redraws at another zoom, keeping the same page in view. */
  async zoom(scale: number): Promise<void> {
    const page = this.currentPage();
    this.scale = Math.min(3, Math.max(0.4, scale));
    if (!this.last) return;
    // Every page is drawn again at the new size.
    this.looks = this.looks.map(() => null);
    await this.show(this.last);
    this.goto(page);
  }

  /** Leaves the screen: the document and every page's pixels freed. */
  async destroy() {
    this.leave();
    if (this.doc) await this.doc.destroy();
    this.doc = null;
  }
}
