// The routing form of a received letter (เกษียนหนังสือ): which step the clerk records — the
// summary and proposal, the chief's order, a hand-over, done — and its texts. The step is
// built only when what it must have is there; otherwise the form says what is missing.
import type { RoutingStep } from "./bindings";

export type StepKind = RoutingStep["step"];

/** The steps, in the order a letter goes through them, with their Thai names. */
export const STEP_KINDS: { value: StepKind; label: string }[] = [
  { value: "proposal", label: "เสนอ (สรุปเรื่องและข้อเสนอ)" },
  { value: "order", label: "สั่งการ (เกษียนของผู้บังคับบัญชา)" },
  { value: "hand_over", label: "ส่งต่อหน่วยงานหรือเจ้าหน้าที่" },
  { value: "done", label: "ดำเนินการแล้ว" },
];

export class RoutingForm {
  kind = $state<StepKind>("proposal");
  summary = $state("");
  proposal = $state("");
  by = $state("");
  text = $state("");
  /** The order's date, ISO. */
  date = $state<string | undefined>(undefined);
  to = $state("");
  note = $state("");

  constructor(today: string) {
    this.date = today;
  }

  /** What the step still needs, in Thai; `null` when it can be recorded. */
  get missing(): string | null {
    switch (this.kind) {
      case "proposal":
        return this.summary.trim() || this.proposal.trim() ? null : "กรอกสรุปเรื่องหรือข้อเสนอ";
      case "order":
        if (!this.text.trim()) return "กรอกข้อความสั่งการ";
        if (!this.by.trim()) return "กรอกชื่อผู้สั่งการ";
        return this.date ? null : "เลือกวันที่สั่งการ";
      case "hand_over":
        return this.to.trim() ? null : "เลือกหรือพิมพ์หน่วยงานหรือเจ้าหน้าที่ที่ส่งต่อ";
      case "done":
        return null;
    }
  }

  /** The step to record, or `null` while something is missing. */
  get step(): RoutingStep | null {
    if (this.missing) return null;
    switch (this.kind) {
      case "proposal":
        return { step: "proposal", summary: this.summary.trim(), proposal: this.proposal.trim() };
      case "order":
        return { step: "order", by: this.by.trim(), text: this.text.trim(), date: this.date! };
      case "hand_over":
        return { step: "hand_over", to: this.to.trim(), note: this.note.trim() };
      case "done":
        return { step: "done", note: this.note.trim() };
    }
  }

  /** After a step is recorded: its texts cleared, the next step of the usual order chosen
   * (who gave the order and its date are kept: the next order is often the same chief's). */
  recorded() {
    const order = STEP_KINDS.map((k) => k.value);
    const next = order[Math.min(order.indexOf(this.kind) + 1, order.length - 1)];
    this.summary = "";
    this.proposal = "";
    this.text = "";
    this.to = "";
    this.note = "";
    this.kind = next;
  }
}
