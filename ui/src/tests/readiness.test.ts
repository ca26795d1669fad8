import { describe, expect, it } from "vitest";
import type { Finding } from "../lib/bindings";
import { canIssue, readiness } from "../lib/readiness";

const f = (level: Finding["level"], th: string): Finding => ({ level, path: "subject", th, en: th, suggestion: null });

describe("whether a letter may take a number", () => {
  it("an error stops the issue, however many ticks", () => {
    const r = readiness([f("error", "คำสั่ง ไม่มีเรื่อง"), f("warning", "ไม่มีผู้ลงนาม")]);
    expect(r.errors.map((e) => e.th)).toEqual(["คำสั่ง ไม่มีเรื่อง"]);
    expect(canIssue(r, true)).toBe(false);
  });
  it("warnings need the clerk's tick", () => {
    const r = readiness([f("warning", "ไม่มีวันที่"), f("info", "ไม่ได้ตรวจตัวสะกด")]);
    expect(r.warnings).toHaveLength(1);
    expect(canIssue(r, false)).toBe(false);
    expect(canIssue(r, true)).toBe(true);
  });
  it("notes alone never stand in the way", () => {
    expect(canIssue(readiness([f("info", "หมายเหตุ")]), false)).toBe(true);
    expect(canIssue(readiness([]), false)).toBe(true);
  });
});
