// What the live preview receives and what it has to redraw.
//
// A letter being composed comes from the core as pictures of its pages, drawn from the same
// frames the PDF is written from (the app's `render_preview`, `saraban::Preview::to_bytes`):
// the page count (u32, little-endian); per page its fingerprint (u64), width, height and
// the length of its PNG (u32 each; 0 for a page the screen already shows); then the PNGs.
// The page says which looks it shows, so typing at the end of a five-page letter brings one
// picture, not five. A stored PDF (an issued letter, a received one) is shown by pdf.js.

/** One page of a composed letter as the core drew it. */
export interface PagePicture {
  /** The page's look (its fingerprint, hex): equal looks, equal pages. */
  look: string;
  /** Size in device pixels. */
  width: number;
  height: number;
  /** The PNG, or null when the screen shows this look already. */
  png: Uint8Array | null;
}

/** What the preview shows: pictures of a letter being composed, or a stored PDF. */
export type Rendered = { kind: "pictures"; pages: PagePicture[] } | { kind: "pdf"; pdf: Uint8Array };

/** What the preview asks of a source: the device pixels per point it draws at, and the
 * looks of the pages it shows (a picture source leaves those out). */
export interface Want {
  scale: number;
  known: string[];
}

/** A source of what the preview shows. */
export type Source = (want: Want) => Promise<Rendered>;

/** Reads the core's preview answer; throws on a truncated one rather than showing garbage. */
export function readPreview(bytes: ArrayBuffer): Rendered {
  const view = new DataView(bytes);
  if (bytes.byteLength < 4) throw new Error("คำตอบของตัวอย่างหนังสือสั้นเกินไป");
  const count = view.getUint32(0, true);
  const head = 4 + 20 * count;
  if (count > 10_000 || bytes.byteLength < head) throw new Error("คำตอบของตัวอย่างหนังสือไม่ครบ");
  const pages: PagePicture[] = [];
  let at = head;
  for (let i = 0; i < count; i++) {
    const o = 4 + 20 * i;
    const lo = view.getUint32(o, true);
    const hi = view.getUint32(o + 4, true);
    const length = view.getUint32(o + 16, true);
    if (at + length > bytes.byteLength) throw new Error("คำตอบของตัวอย่างหนังสือไม่ครบ");
    pages.push({
      look: hi.toString(16).padStart(8, "0") + lo.toString(16).padStart(8, "0"),
      width: view.getUint32(o + 8, true),
      height: view.getUint32(o + 12, true),
      png: length > 0 ? new Uint8Array(bytes, at, length) : null,
    });
    at += length;
  }
  return { kind: "pictures", pages };
}

/** A stored PDF (an issued letter, a received one). */
export function plainPdf(bytes: ArrayBuffer): Rendered {
  return { kind: "pdf", pdf: new Uint8Array(bytes) };
}

/**
 * The pages (1-based) to draw for a new render, given what each page on screen shows (its
 * look, or null for a page not drawn yet or drawn at another zoom): every page whose look
 * is unknown or differs.
 */
export function pagesToDraw(onScreen: (string | null)[], next: string[] | null, count: number): number[] {
  const out: number[] = [];
  for (let n = 1; n <= count; n++) {
    const shown = onScreen[n - 1] ?? null;
    if (next === null || shown === null || shown !== next[n - 1]) out.push(n);
  }
  return out;
}

/**
 * The pages (0-based) that keep their pixels: those within `margin` CSS pixels of the part
 * of the pane in view (`top` to `top + height`), given where each page is (`places`, its
 * top and height in the pane). The rest give theirs back until the clerk scrolls to them.
 */
export function pagesNearView(
  places: { top: number; height: number }[],
  top: number,
  height: number,
  margin: number,
): Set<number> {
  const near = new Set<number>();
  places.forEach((p, i) => {
    if (p.top + p.height >= top - margin && p.top <= top + height + margin) near.add(i);
  });
  return near;
}
