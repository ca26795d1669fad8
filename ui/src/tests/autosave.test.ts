// The rules of autosave (lib/autosave.svelte.ts), against a register stand-in that answers
// when the test says so: what is saved, when, how often, and what the clerk is told.
import { describe, expect, it } from "vitest";
import { Autosave, KEPT_HERE } from "../lib/autosave.svelte";
import type { Letter } from "../lib/bindings";

type Call = { id: number | null; letter: Letter; answer: (id: number) => void; fail: (e: unknown) => void };

function harness(first: Partial<Letter> = { subject: "เดิม" }) {
  let letter: Letter | null = { kind: "external", ...first } as Letter;
  let clock = 1_000_000;
  const calls: Call[] = [];
  const notes: { text: string; kind?: string }[] = [];
  let running = 0;
  let most = 0;
  const auto = new Autosave({
    current: () => letter,
    save: (id, l) =>
      new Promise<number>((answer, fail) => {
        running++;
        most = Math.max(most, running);
        calls.push({
          id,
          letter: l,
          answer: (n) => {
            running--;
            answer(n);
          },
          fail: (e) => {
            running--;
            fail(e);
          },
        });
      }),
    notify: (text, kind) => notes.push({ text, kind }),
    now: () => clock,
  });
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return {
    auto,
    calls,
    notes,
    most: () => most,
    settle,
    type(subject: string) {
      letter = { ...letter!, subject };
      auto.noteChange();
    },
    issue() {
      letter = null;
    },
    wait(ms: number) {
      clock += ms;
    },
  };
}

describe("autosave", () => {
  it("never saves a letter the clerk has not touched", async () => {
    const h = harness();
    h.auto.reset(null, true);
    for (let i = 0; i < 10; i++) {
      h.wait(1000);
      h.auto.tick();
    }
    expect(await h.auto.saveNow()).toBeNull();
    expect(h.calls).toHaveLength(0);
    // Ctrl+S saves even an untouched letter: the clerk asked for a draft.
    const saved = h.auto.saveNow(true);
    await h.settle();
    h.calls[0].answer(7);
    expect(await saved).toBe(7);
  });

  it("saves 1.5 s after the last change, and every 5 s while the clerk keeps typing", async () => {
    const h = harness();
    h.auto.reset(null, true);
    h.type("ร");
    h.wait(1000);
    h.auto.tick();
    await h.settle();
    expect(h.calls).toHaveLength(0);
    h.wait(600);
    h.auto.tick();
    await h.settle();
    expect(h.calls).toHaveLength(1);
    h.calls[0].answer(3);
    await h.settle();
    // Typing on without a pause: saved again within 5 s, not only when the clerk stops.
    for (let i = 0; i < 6; i++) {
      h.wait(1000);
      h.type(`ร่าง ${i}`);
      h.auto.tick();
      await h.settle();
    }
    expect(h.calls).toHaveLength(2);
    expect(h.calls[1].id).toBe(3);
  });

  it("runs one save at a time and never sends the same letter twice", async () => {
    const h = harness();
    h.auto.reset(null, true);
    h.type("หนังสือใหม่");
    const a = h.auto.saveNow();
    const b = h.auto.saveNow();
    const c = h.auto.saveNow(true);
    await h.settle();
    expect(h.calls).toHaveLength(1);
    h.calls[0].answer(11);
    expect(await a).toBe(11);
    expect(await b).toBe(11);
    expect(await c).toBe(11);
    expect(h.calls).toHaveLength(1); // one draft, not three
    expect(h.most()).toBe(1);
  });

  it("saves the last text: what was typed during a save goes up with the next", async () => {
    const h = harness();
    h.auto.reset(null, true);
    h.type("ก");
    const first = h.auto.saveNow();
    await h.settle();
    h.type("กข"); // typed while the first save is on its way
    const closing = h.auto.saveNow(); // the window closes
    h.calls[0].answer(5);
    await first;
    await h.settle();
    expect(h.calls).toHaveLength(2);
    expect(h.calls[1].id).toBe(5);
    expect(h.calls[1].letter.subject).toBe("กข");
    h.calls[1].answer(5);
    expect(await closing).toBe(5);
    expect(h.auto.dirty).toBe(false);
  });

  it("keeps the text when a save fails, says so, and tries again", async () => {
    const h = harness();
    h.auto.reset(9, true);
    h.type("แก้แล้ว");
    h.wait(2000);
    h.auto.tick();
    await h.settle();
    h.calls[0].fail({ message: "ดิสก์เต็ม", problems: [] });
    await h.settle();
    expect(h.notes.at(-1)).toEqual({ text: "บันทึกร่างไม่สำเร็จ: ดิสก์เต็ม (ข้อความที่พิมพ์ยังอยู่ครบ)", kind: "error" });
    expect(h.auto.dirty).toBe(true);
    h.wait(1000);
    h.auto.tick();
    await h.settle();
    expect(h.calls).toHaveLength(2);
    expect(h.calls[1].letter.subject).toBe("แก้แล้ว");
  });

  it("keeps a draft on this computer while the server is away, and says when it went up", async () => {
    const h = harness();
    h.auto.reset(null, true);
    h.type("พิมพ์ตอนเซิร์ฟเวอร์ดับ");
    const away = h.auto.saveNow();
    await h.settle();
    h.calls[0].answer(-1733);
    expect(await away).toBe(-1733);
    expect(h.notes).toEqual([{ text: KEPT_HERE, kind: "error" }]);
    // Later saves while away are kept with the same provisional id, said once.
    h.type("พิมพ์ตอนเซิร์ฟเวอร์ดับ ต่อ");
    const again = h.auto.saveNow();
    await h.settle();
    expect(h.calls[1].id).toBe(-1733);
    h.calls[1].answer(-1733);
    await again;
    expect(h.notes).toHaveLength(1);
    // Saving by hand, unchanged, tries the server again (still away: kept here, said once).
    const retry = h.auto.saveNow(true);
    await h.settle();
    expect(h.calls).toHaveLength(3);
    h.calls[2].answer(-1733);
    expect(await retry).toBe(-1733);
    expect(h.notes).toHaveLength(1);
    // The server back: the draft gets its number.
    h.type("ส่งเมื่อกลับมา");
    const back = h.auto.saveNow();
    await h.settle();
    h.calls[3].answer(42);
    expect(await back).toBe(42);
    expect(h.notes.at(-1)?.text).toBe("ส่งร่างขึ้นเซิร์ฟเวอร์ทะเบียนแล้ว เป็นร่างหมายเลข 42");
  });

  it("saves nothing once the letter is issued", async () => {
    const h = harness();
    h.auto.reset(4, true);
    h.type("แก้");
    h.issue();
    h.wait(10000);
    h.auto.tick();
    expect(await h.auto.saveNow(true)).toBe(4);
    expect(h.calls).toHaveLength(0);
  });

  it("saves a letter opened from a file or restored, as a draft of its own", async () => {
    const h = harness({ subject: "จากไฟล์" });
    h.auto.reset(null, false);
    h.wait(2000);
    h.auto.tick();
    await h.settle();
    expect(h.calls).toHaveLength(1);
    expect(h.calls[0].id).toBeNull();
  });
});
