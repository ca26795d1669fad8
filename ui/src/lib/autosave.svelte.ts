/**
 * Autosave (บันทึกร่างอัตโนมัติ): what keeps a clerk's typing from ever being lost.
 *
 * The rules, each tested (src/tests/autosave.test.ts):
 * - an untouched letter is never saved (a new letter from the office is not a draft yet);
 * - a changed letter is saved 1.5 s after the last change, and while the clerk keeps typing
 *   no change waits longer than 5 s (counted from the first change not yet saved, so a
 *   fresh letter's first keystroke is not saved alone);
 * - one save at a time: each decides whether there is anything to save only once the one
 *   before it has finished, so a letter is never sent twice (two versions, or two drafts);
 * - the last text is always saved: what changed during a save is saved by the next one,
 *   and `saveNow` (the button, Ctrl+S, switching letters, closing the window) saves it at
 *   once;
 * - while the register's server is away the draft waits on this computer (a negative id)
 *   and the clerk is told so once; saving by hand tries the server again; when the draft
 *   goes up, the clerk is told its number;
 * - a save that fails says why and keeps the text: the next tick tries again.
 */
import type { Letter } from "./bindings";
import { messageOf } from "./api";
import { oneAtATime } from "./serial";
import { thaiDigits } from "./thai";

export const KEPT_HERE =
  "ติดต่อเซิร์ฟเวอร์ทะเบียนไม่ได้ จึงเก็บร่างไว้ในเครื่องนี้ก่อน และจะส่งขึ้นเซิร์ฟเวอร์เมื่อเชื่อมต่อได้ (ข้อความที่พิมพ์ยังอยู่ครบ)";

/** What the clerk is told after saving by hand. */
export const savedNote = (id: number) =>
  id < 0 ? "เก็บร่างไว้ในเครื่องนี้แล้ว จะส่งขึ้นเซิร์ฟเวอร์ทะเบียนเมื่อเชื่อมต่อได้" : `บันทึกร่างหมายเลข ${thaiDigits(id)} แล้ว`;

export interface AutosaveOptions {
  /** The letter being composed, or null when there is nothing to save (none, or issued). */
  current: () => Letter | null;
  /** Saves a draft (a new one when `id` is null); answers its id. */
  save: (id: number | null, letter: Letter) => Promise<number>;
  notify: (text: string, kind?: "ok" | "error") => void;
  /** The clock (tests set their own). */
  now?: () => number;
  /** Quiet time after the last change before saving. */
  idleMs?: number;
  /** The longest a changed letter waits while the clerk keeps typing. */
  maxMs?: number;
}

export class Autosave {
  /** The draft the letter is saved to; null until its first save. */
  draftId = $state<number | null>(null);
  /** Saves done (for the tests and the status line). */
  saves = $state(0);

  #o: Required<AutosaveOptions>;
  #savedJson = "";
  #lastChange = 0;
  /** When the oldest change not yet saved was made; 0 when all is saved. */
  #firstUnsaved = 0;
  #serial = oneAtATime();

  constructor(options: AutosaveOptions) {
    this.#o = { now: () => Date.now(), idleMs: 1500, maxMs: 5000, ...options };
  }

  /**
   * A letter newly on screen. `asStored`: it is exactly what `draftId` holds (or, with no
   * draft, what the office gave: untouched); otherwise it is saved at the next tick.
   */
  reset(draftId: number | null, asStored: boolean) {
    this.draftId = draftId;
    const l = this.#o.current();
    this.#savedJson = asStored && l ? JSON.stringify(l) : "";
    this.#lastChange = asStored ? 0 : this.#o.now();
    this.#firstUnsaved = this.#lastChange;
  }

  /** Called whenever the letter may have changed (an `$effect` on it). */
  noteChange() {
    const l = this.#o.current();
    if (l && JSON.stringify(l) !== this.#savedJson) {
      this.#lastChange = this.#o.now();
      if (this.#firstUnsaved === 0) this.#firstUnsaved = this.#lastChange;
    }
  }

  /** Whether what is on screen differs from what was last saved. */
  get dirty(): boolean {
    const l = this.#o.current();
    return l != null && this.#lastChange !== 0 && JSON.stringify(l) !== this.#savedJson;
  }

  /** Called every second: saves when the clerk paused, or has typed long enough unsaved. */
  tick() {
    if (!this.dirty) return;
    const now = this.#o.now();
    if (now - this.#lastChange > this.#o.idleMs || now - this.#firstUnsaved >= this.#o.maxMs) this.saveNow();
  }

  /** Saves the letter if it changed (`force`: even an untouched new letter). */
  saveNow(force = false): Promise<number | null> {
    return this.#serial(async () => {
      const letter = this.#o.current();
      if (!letter) return this.draftId;
      const snapshot = JSON.parse(JSON.stringify(letter)) as Letter;
      const json = JSON.stringify(snapshot);
      // Saving by hand a letter that is saved already does nothing, except for a new
      // letter (the clerk asks for a draft) and a draft kept on this computer (the clerk
      // asks to try the server again).
      const waiting = this.draftId == null || this.draftId < 0;
      if (json === this.#savedJson && !(force && waiting)) return this.draftId;
      try {
        const id = await this.#o.save(this.draftId, snapshot);
        // A negative id: the register's server is away and the draft waits on this computer.
        if (id < 0 && (this.draftId == null || this.draftId >= 0)) this.#o.notify(KEPT_HERE, "error");
        if (id >= 0 && this.draftId != null && this.draftId < 0)
          this.#o.notify(`ส่งร่างขึ้นเซิร์ฟเวอร์ทะเบียนแล้ว เป็นร่างหมายเลข ${id}`);
        this.draftId = id;
        this.#savedJson = json;
        this.#firstUnsaved = 0;
        this.saves++;
        return id;
      } catch (e) {
        this.#o.notify(`บันทึกร่างไม่สำเร็จ: ${messageOf(e)} (ข้อความที่พิมพ์ยังอยู่ครบ)`, "error");
        return null;
      }
    });
  }
}
