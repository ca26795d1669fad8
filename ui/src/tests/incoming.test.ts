import { describe, expect, it } from "vitest";
import { actionsOf, receiptText, stepLine, URGENCIES } from "../lib/incoming";
import type { Receipt } from "../lib/bindings";

const receipt = (over: Partial<Receipt> = {}): Receipt => ({
  id: 1,
  receipt_number: 12,
  year_be: 2569,
  received_at: "2026-12-05T10:30:00+07:00",
  received_by: "clerk",
  fields: {
    number: "มท ๐๘๑๐.๒/ว ๑๒๓",
    date: "2026-12-01",
    from: "กรมส่งเสริมการปกครองท้องถิ่น",
    to: "ผู้ว่าราชการจังหวัด",
    subject: "ขอเชิญประชุม",
    urgency: null,
    secrecy: null,
    references: [],
    enclosures: [],
  },
  read_by: "text",
  kind: "pdf",
  file_name: "a.pdf",
  sha256: "",
  stamped_sha256: "",
  status: "received",
  note: "",
  routing: [],
  replies: [],
  ...over,
});

describe("the incoming register on screen", () => {
  it("writes receipt numbers in Thai digits", () => {
    expect(receiptText(receipt())).toBe("๑๒/๒๕๖๙");
  });

  it("says what was done as the register book does", () => {
    expect(stepLine({ step: "hand_over", to: "กองคลัง", note: "" })).toBe("ส่ง กองคลัง");
    expect(stepLine({ step: "order", by: "นายก", text: "ทราบ", date: "2026-12-05" })).toBe("ทราบ (นายก)");
    const r = receipt({
      routing: [{ id: 1, at: "", by: "clerk", step: { step: "proposal", summary: "สรุป", proposal: "เห็นควรมอบ" } }],
      replies: [{ id: 3, number: "ลป ๐๐๒๓/๑", date: "2026-12-06" }],
    });
    expect(actionsOf(r)).toBe("สรุป เห็นควรมอบ / ตอบแล้ว ที่ ลป ๐๐๒๓/๑");
  });

  it("offers the urgencies with ordinary first", () => {
    expect(URGENCIES.map((u) => u.label)).toEqual(["ปกติ", "ด่วน", "ด่วนมาก", "ด่วนที่สุด"]);
  });
});

import { dueDate, isOverdue } from "../lib/incoming";
import { RoutingForm } from "../lib/routing.svelte";

describe("due dates and what is overdue", () => {
  it("counts the days the urgency allows from the day received", () => {
    expect(dueDate(receipt())).toBe("2026-12-12");
    expect(dueDate(receipt({ fields: { ...receipt().fields, urgency: "most_urgent" } }))).toBe("2026-12-05");
    expect(dueDate(receipt({ fields: { ...receipt().fields, urgency: "urgent" } }))).toBe("2026-12-08");
  });

  it("lists what waits past its day, not what is done or cancelled", () => {
    const late = receipt({ fields: { ...receipt().fields, urgency: "very_urgent" } });
    expect(isOverdue(late, "2026-12-06")).toBe(false);
    expect(isOverdue(late, "2026-12-07")).toBe(true);
    expect(isOverdue({ ...late, status: "cancelled" }, "2026-12-07")).toBe(false);
    const done = { ...late, routing: [{ id: 1, at: "", by: "", step: { step: "done" as const, note: "" } }] };
    expect(isOverdue(done, "2026-12-07")).toBe(false);
  });
});

describe("the routing form", () => {
  it("builds a step only when it has what it needs, and says what is missing", () => {
    const f = new RoutingForm("2026-12-05");
    expect(f.step).toBeNull();
    expect(f.missing).toBe("กรอกสรุปเรื่องหรือข้อเสนอ");
    f.summary = "  กรมแจ้งโครงการ ";
    expect(f.step).toEqual({ step: "proposal", summary: "กรมแจ้งโครงการ", proposal: "" });
    f.recorded();
    expect(f.kind).toBe("order");
    expect(f.summary).toBe("");
    f.text = "ทราบ ดำเนินการ";
    expect(f.missing).toBe("กรอกชื่อผู้สั่งการ");
    f.by = "ปลัด";
    expect(f.step).toEqual({ step: "order", by: "ปลัด", text: "ทราบ ดำเนินการ", date: "2026-12-05" });
    f.recorded();
    expect(f.kind).toBe("hand_over");
    expect(f.by).toBe("ปลัด");
    expect(f.step).toBeNull();
    f.to = "กองคลัง";
    expect(f.step).toEqual({ step: "hand_over", to: "กองคลัง", note: "" });
    f.kind = "done";
    expect(f.step).toEqual({ step: "done", note: "" });
  });
});

import { formatThaiWhen } from "../lib/thai";

describe("when a step was recorded", () => {
  it("is written as Bangkok's clock shows it, whatever offset it was stored with", () => {
    expect(formatThaiWhen("2026-12-05T19:59:00+00:00")).toBe("๖ ธันวาคม ๒๕๖๙ ๐๒.๕๙ น.");
    expect(formatThaiWhen("2026-12-06T02:59:00+07:00")).toBe("๖ ธันวาคม ๒๕๖๙ ๐๒.๕๙ น.");
    expect(formatThaiWhen("เมื่อวาน")).toBe("เมื่อวาน");
  });
});
