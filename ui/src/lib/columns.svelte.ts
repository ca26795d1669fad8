/**
 * The register table's column widths (ความกว้างคอลัมน์ทะเบียน): the clerk drags a column's
 * edge in its header to widen what it needs to read whole (a long เรื่อง, a หมายเหตุ), and
 * the table keeps that width the next time it opens (on this computer).
 *
 * The rules, each tested (src/tests/columns.test.ts):
 * - the texts (จาก, ถึง, เรื่อง, หมายเหตุ) start at shares that fit a 1280-pixel window;
 * - dragging a text column's edge changes that column, never below its narrowest readable
 *   width nor above 1200 px; the others keep the width they had, and a table wider than the
 *   window scrolls sideways;
 * - the widths are kept in local storage; what is stored there and makes no sense (an old
 *   version, an edit by hand) is ignored, never a broken table;
 * - a double click on an edge gives the column back its default width.
 */

/** The columns a clerk may widen: the texts. The others fit their content. */
export const RESIZABLE = ["from", "to", "subj", "note"] as const;
export type Column = (typeof RESIZABLE)[number];

/** Default widths: the room the fixed columns (36em of the app's 17-pixel text) leave in a
 * 1280-pixel window, shared (จาก, ถึง, เรื่อง three times as wide, หมายเหตุ); a wider window
 * shares its extra room alike. */
const DEFAULTS: Record<Column, number> = { from: 96, to: 96, subj: 300, note: 80 };
/** The narrowest each stays readable at, whatever the others take. */
export const MIN: Record<Column, number> = { from: 80, to: 80, subj: 160, note: 70 };
const MAX = 1200;

export class ColumnWidths {
  /** Each text column's width in pixels: never less; a window with more room shares the
   * extra in these proportions, and one with less scrolls sideways. */
  widths = $state<Record<Column, number>>({ ...DEFAULTS });

  constructor(
    private storage: Pick<Storage, "getItem" | "setItem"> | null = typeof localStorage === "undefined"
      ? null
      : localStorage,
    private key = "saraban.registerColumns",
  ) {
    try {
      const stored = JSON.parse(this.storage?.getItem(this.key) ?? "null");
      if (stored && typeof stored === "object") {
        for (const c of RESIZABLE) {
          const v = stored[c];
          if (typeof v === "number" && Number.isFinite(v)) this.widths[c] = clamp(c, v);
        }
      }
    } catch {
      // Unreadable: the defaults.
    }
  }

  /** The CSS grid template the header and every row share: the fixed columns (เลขทะเบียนส่ง,
   * ที่, ลงวันที่, การปฏิบัติ, the buttons) at their content's width, the texts sharing the rest. */
  get template(): string {
    const t = (c: Column) => {
      const w = Math.round(this.widths[c]);
      return `minmax(${w}px, ${w}fr)`;
    };
    return `5.5em 9em 8.5em ${t("from")} ${t("to")} ${t("subj")} 4.5em ${t("note")} 8.5em`;
  }

  /** The narrowest the table can be: the fixed columns, the texts, the gaps and padding. */
  get minWidth(): string {
    const texts = RESIZABLE.reduce((sum, c) => sum + Math.round(this.widths[c]), 0);
    return `calc(36em + ${texts + 8 * 6 + 16}px)`;
  }

  /** A drag on a column's edge: the widths as the table shows them when it began
   * (`shown`), and how far the edge moved. Only that column changes; the others keep
   * their shown widths, so they give up the room in proportion. Kept for next time. */
  drag(column: Column, shown: Record<Column, number>, dx: number) {
    for (const c of RESIZABLE) this.widths[c] = clamp(c, shown[c]);
    this.widths[column] = clamp(column, shown[column] + dx);
    this.keep();
  }

  /** Gives a column back its default width. */
  reset(column: Column) {
    this.widths[column] = DEFAULTS[column];
    this.keep();
  }

  private keep() {
    try {
      const kept: Partial<Record<Column, number>> = {};
      for (const c of RESIZABLE) kept[c] = Math.round(this.widths[c]);
      this.storage?.setItem(this.key, JSON.stringify(kept));
    } catch {
      // Storage full or refused: the width holds for this session.
    }
  }
}

function clamp(column: Column, width: number): number {
  return Math.min(MAX, Math.max(MIN[column], width));
}
