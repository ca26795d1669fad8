import { describe, expect, it } from "vitest";
import { ColumnWidths, MIN } from "../lib/columns.svelte";

function memory(initial: Record<string, string> = {}) {
  const data = { ...initial };
  return {
    data,
    getItem: (k: string) => data[k] ?? null,
    setItem: (k: string, v: string) => void (data[k] = v),
  };
}
const shown = { from: 150, to: 150, subj: 450, note: 105 };
const DEFAULTS = { from: 96, to: 96, subj: 300, note: 80 };

describe("the register's column widths", () => {
  it("start with เรื่อง three times as wide as จาก and ถึง, fitting a 1280-pixel window", () => {
    const w = new ColumnWidths(memory());
    expect(w.template).toBe(
      "5.5em 9em 8.5em minmax(96px, 96fr) minmax(96px, 96fr) minmax(300px, 300fr) 4.5em minmax(80px, 80fr) 8.5em",
    );
    // 36em of fixed columns is 612 px at the app's 17 px: 612 + 572 + 64 = 1248, inside the
    // 1254 px a 1280-pixel window leaves the table.
    expect(w.minWidth).toBe("calc(36em + 636px)");
  });

  it("a drag widens one column and is kept for the next time", () => {
    const store = memory();
    const w = new ColumnWidths(store);
    w.drag("subj", shown, 300);
    expect(w.widths).toEqual({ from: 150, to: 150, subj: 750, note: 105 });
    expect(new ColumnWidths(store).widths.subj).toBe(750);
  });

  it("never below a readable width nor beyond 1200 px", () => {
    const w = new ColumnWidths(memory());
    w.drag("note", shown, -500);
    expect(w.widths.note).toBe(MIN.note);
    w.drag("subj", shown, 5000);
    expect(w.widths.subj).toBe(1200);
  });

  it("what is stored and makes no sense is ignored", () => {
    const w = new ColumnWidths(memory({ "saraban.registerColumns": '{"subj":"wide","from":-3,"zz":9' }));
    expect(w.widths.subj).toBe(DEFAULTS.subj);
    const v = new ColumnWidths(memory({ "saraban.registerColumns": '{"subj":"wide","from":-3}' }));
    expect(v.widths).toEqual({ ...DEFAULTS, from: MIN.from });
  });

  it("a double click gives a column back its default width", () => {
    const w = new ColumnWidths(memory());
    w.drag("subj", shown, 200);
    w.reset("subj");
    expect(w.widths.subj).toBe(DEFAULTS.subj);
  });
});
