// The incoming register (ทะเบียนหนังสือรับ) as the app shows it: receipt numbers in Thai
// digits, what was done with a letter in one line, the urgencies a clerk chooses from.
import type { Receipt, RoutingStep, Urgency } from "./bindings";
import { thaiDigits } from "./thai";

/** เลขรับ as the register book prints it: ๑๒/๒๕๖๙. */
export function receiptText(r: Pick<Receipt, "receipt_number" | "year_be">): string {
  return thaiDigits(`${r.receipt_number}/${r.year_be}`);
}

/** One routing step in a line, as the book's การปฏิบัติ says it. */
export function stepLine(step: RoutingStep): string {
  switch (step.step) {
    case "proposal":
      return [step.summary.trim(), step.proposal.trim()].filter(Boolean).join(" ");
    case "order":
      return `${step.text.trim()} (${step.by.trim()})`;
    case "hand_over":
      return `ส่ง ${step.to.trim()}${step.note.trim() ? " " + step.note.trim() : ""}`;
    case "done":
      return `ดำเนินการแล้ว ${step.note.trim()}`.trim();
  }
}

/** What was done with a receipt, newest last: its routing, then its replies. */
export function actionsOf(r: Receipt): string {
  const steps = r.routing.map((s) => stepLine(s.step));
  const replies = r.replies.map((l) => `ตอบแล้ว ที่ ${l.number}`);
  return [...steps, ...replies].join(" / ");
}

/** ชั้นความเร็ว, as a clerk chooses it. */
export const URGENCIES: { value: Urgency | null; label: string }[] = [
  { value: null, label: "ปกติ" },
  { value: "urgent", label: "ด่วน" },
  { value: "very_urgent", label: "ด่วนมาก" },
  { value: "most_urgent", label: "ด่วนที่สุด" },
];

/** How a received file was read, in Thai. */
export function readByText(readBy: string): string {
  switch (readBy) {
    case "letter_data":
      return "อ่านจากข้อมูลหนังสือที่ฝังมาในไฟล์ (ตรงตามต้นฉบับ)";
    case "text":
      return "อ่านจากข้อความในไฟล์ PDF";
    case "ocr":
      return "อ่านจากภาพด้วยโปรแกรมอ่านตัวอักษร (OCR) กรุณาตรวจทานทุกช่อง";
    default:
      return "อ่านไม่ได้ กรุณากรอกเอง";
  }
}

/** The days each urgency allows before a receipt is overdue (as the core counts them). */
export function daysAllowed(u: Urgency | null): number {
  switch (u) {
    case "most_urgent":
      return 0;
    case "very_urgent":
      return 1;
    case "urgent":
      return 3;
    default:
      return 7;
  }
}

/** The day a receipt is due by (ISO): the day it was received plus what its urgency allows. */
export function dueDate(r: Pick<Receipt, "received_at" | "fields">): string {
  const day = r.received_at.slice(0, 10);
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + daysAllowed(r.fields.urgency));
  return d.toISOString().slice(0, 10);
}

/** Whether a receipt still waits past its due date on `today` (ISO): not cancelled, not done. */
export function isOverdue(r: Receipt, today: string): boolean {
  if (r.status === "cancelled") return false;
  if (r.routing.some((s) => s.step.step === "done")) return false;
  return dueDate(r) < today;
}
