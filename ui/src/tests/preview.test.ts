import { describe, expect, it } from "vitest";
import { pagesToDraw, plainPdf, readPreview } from "../lib/preview";

// The core's answer: page count, one u64 per page (little-endian), then the PDF.
function answer(prints: bigint[], pdf: string): ArrayBuffer {
  const text = new TextEncoder().encode(pdf);
  const bytes = new Uint8Array(4 + 8 * prints.length + text.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, prints.length, true);
  prints.forEach((p, i) => view.setBigUint64(4 + 8 * i, p, true));
  bytes.set(text, 4 + 8 * prints.length);
  return bytes.buffer;
}

describe("the preview's answer", () => {
  it("reads each page's look and the PDF after them", () => {
    const r = readPreview(answer([0x0123456789abcdefn, 2n], "%PDF-1.7 …"));
    expect(r.pages).toEqual(["0123456789abcdef", "0000000000000002"]);
    expect(new TextDecoder().decode(r.pdf)).toBe("%PDF-1.7 …");
  });

  it("refuses a truncated answer instead of showing garbage", () => {
    const whole = answer([1n, 2n, 3n], "%PDF");
    expect(() => readPreview(whole.slice(0, 12))).toThrow(/ไม่ครบ/);
    expect(() => readPreview(whole.slice(0, 2))).toThrow(/สั้น/);
  });

  it("a stored PDF has no looks: every page is new", () => {
    expect(plainPdf(new ArrayBuffer(8)).pages).toBeNull();
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
