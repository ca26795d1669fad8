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
