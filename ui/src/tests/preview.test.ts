import { describe, expect, it } from "vitest";
import { pagesNearView, pagesToDraw, plainPdf, readPreview } from "../lib/preview";

// The core's answer: page count; per page its look (u64), width, height and PNG length
// (u32 each, little-endian); then the PNGs.
function answer(pages: { look: bigint; png: string | null }[]): ArrayBuffer {
  const pngs = pages.map((p) => (p.png === null ? new Uint8Array(0) : new TextEncoder().encode(p.png)));
  const head = 4 + 20 * pages.length;
  const bytes = new Uint8Array(head + pngs.reduce((a, p) => a + p.length, 0));
  const view = new DataView(bytes.buffer);
  view.setUint32(0, pages.length, true);
  let at = head;
  pages.forEach((p, i) => {
    view.setBigUint64(4 + 20 * i, p.look, true);
    view.setUint32(12 + 20 * i, 595, true);
    view.setUint32(16 + 20 * i, 842, true);
    view.setUint32(20 + 20 * i, pngs[i].length, true);
    bytes.set(pngs[i], at);
    at += pngs[i].length;
  });
  return bytes.buffer;
}

describe("the preview's answer", () => {
  it("reads each page's look, size and picture, a page the screen shows without one", () => {
    const r = readPreview(
      answer([
        { look: 0x0123456789abcdefn, png: "PNG-one" },
        { look: 2n, png: null },
        { look: 3n, png: "PNG-three" },
      ]),
    );
    if (r.kind !== "pictures") throw new Error("pictures expected");
    expect(r.pages.map((p) => p.look)).toEqual(["0123456789abcdef", "0000000000000002", "0000000000000003"]);
    expect(r.pages.map((p) => [p.width, p.height])).toEqual([
      [595, 842],
      [595, 842],
      [595, 842],
    ]);
    const text = (b: Uint8Array | null) => (b ? new TextDecoder().decode(b) : null);
    expect(r.pages.map((p) => text(p.png))).toEqual(["PNG-one", null, "PNG-three"]);
  });

  it("refuses a truncated answer instead of showing garbage", () => {
    const whole = answer([
      { look: 1n, png: "PNG" },
      { look: 2n, png: "PNG" },
    ]);
    expect(() => readPreview(whole.slice(0, 30))).toThrow(/ไม่ครบ/);
    expect(() => readPreview(whole.slice(0, whole.byteLength - 1))).toThrow(/ไม่ครบ/);
    expect(() => readPreview(whole.slice(0, 2))).toThrow(/สั้น/);
  });

  it("a stored PDF is shown as a PDF", () => {
    expect(plainPdf(new ArrayBuffer(8)).kind).toBe("pdf");
  });
});

describe("which pages are drawn again", () => {
  const shown = ["a", "b", "c", "d", "e"];

  it("only the pages whose look changed", () => {
    expect(pagesToDraw(shown, ["a", "b", "c", "d", "E"], 5)).toEqual([5]);
    expect(pagesToDraw(shown, ["A", "b", "c", "d", "e"], 5)).toEqual([1]);
    expect(pagesToDraw(shown, shown, 5)).toEqual([]);
  });

  it("a page added at the end, and pages not drawn yet or at another zoom", () => {
    expect(pagesToDraw(shown, [...shown, "f"], 6)).toEqual([6]);
    expect(pagesToDraw(["a", null, "c"], ["a", "b", "c"], 3)).toEqual([2]);
  });

  it("every page when the looks are unknown", () => {
    expect(pagesToDraw(shown, null, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(pagesToDraw([], ["a"], 1)).toEqual([1]);
  });
});

describe("which pages keep their pixels", () => {
  // Five A4 pages at the usual zoom, 16 px apart, in a pane 700 px high.
  const places = [0, 1, 2, 3, 4].map((i) => ({ top: i * 858, height: 842 }));
  const near = (top: number) => [...pagesNearView(places, top, 700, 700)];

  it("the pages in view and within a screen's height of it", () => {
    expect(near(0)).toEqual([0, 1]);
    expect(near(3432)).toEqual([3, 4]);
    expect(near(1716)).toEqual([1, 2, 3]);
  });

  it("a page just past the margin gives its pixels back; one touching it keeps them", () => {
    // The view ends at 1400 + 700: page 3 (from 2574) is past the margin, page 2 is in it.
    expect(near(700)).toEqual([0, 1, 2]);
    expect(pagesNearView(places, 700, 700, 0).has(2)).toBe(false);
  });
});
