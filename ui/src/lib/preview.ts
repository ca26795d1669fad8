// What the live preview receives and what it has to redraw.
//
// The core sends the letter's PDF with a fingerprint of each page's look (the app's
// `render_preview`, `saraban::Preview::to_bytes`): the page count (u32, little-endian), one
// u64 per page, then the PDF. A page whose fingerprint is the one it had is not drawn again:
// typing at the end of a five-page letter redraws the last page, not five.

/** A letter as the preview shows it: the PDF and, when the core gave them, the pages' looks. */
export interface Rendered {
  pdf: Uint8Array;
  /** One fingerprint per page (hex), or null when unknown (a stored PDF): every page is new. */
  pages: string[] | null;
}

/** Reads the core's preview answer; throws on a truncated one rather than showing garbage. */
export function readPreview(bytes: ArrayBuffer): Rendered {
  const view = new DataView(bytes);
  if (bytes.byteLength < 4) throw new Error("คำตอบของตัวอย่างหนังสือสั้นเกินไป");
  const count = view.getUint32(0, true);
  const head = 4 + 8 * count;
  if (count > 10_000 || bytes.byteLength < head) throw new Error("คำตอบของตัวอย่างหนังสือไม่ครบ");
  const pages: string[] = [];
  for (let i = 0; i < count; i++) {
    const lo = view.getUint32(4 + 8 * i, true);
    const hi = view.getUint32(8 + 8 * i, true);
    pages.push(hi.toString(16).padStart(8, "0") + lo.toString(16).padStart(8, "0"));
  }
  return { pdf: new Uint8Array(bytes, head), pages };
}

/** A stored PDF (an issued letter): its pages' looks are unknown. */
export function plainPdf(bytes: ArrayBuffer): Rendered {
  return { pdf: new Uint8Array(bytes), pages: null };
}

/**
 * The pages (1-based) to draw for a new render, given what each page on screen shows (its
 * fingerprint, or null for a page not drawn yet or drawn at another zoom): every page whose
 * look is unknown or differs.
 */
export function pagesToDraw(onScreen: (string | null)[], next: string[] | null, count: number): number[] {
  const out: number[] = [];
  for (let n = 1; n <= count; n++) {
    const shown = onScreen[n - 1] ?? null;
    if (next === null || shown === null || shown !== next[n - 1]) out.push(n);
  }
  return out;
}
