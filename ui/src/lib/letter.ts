// Letters as the form edits them: every list present (the interchange format leaves empty
// lists out), so that the form can bind to them.
import { KIND_NAMES, type Letter } from "./bindings";

export function normalize(l: Letter): Letter {
  return {
    ...l,
    references: l.references ?? [],
    enclosures: l.enclosures ?? [],
    qr: l.qr ?? [],
    copies_to: l.copies_to ?? [],
    body: l.body && l.body.length > 0 ? l.body : [{ text: "", style: "paragraph" }],
    // The form's checkbox writes false where the field is absent: set here, so that
    // showing an untouched letter does not change it (and autosave an empty draft).
    circular: l.circular ?? false,
  };
}

/** A letter's title for lists and the window: its subject, else its kind. */
export function titleOf(l: Letter): string {
  return l.subject?.trim() || `${KIND_NAMES[l.kind] ?? "หนังสือ"} (ยังไม่มีเรื่อง)`;
}

/** Jumps to the field at a JSON path (or its nearest parent that has a field). */
export function focusField(path: string): boolean {
  let p = path;
  while (p) {
    const el = document.querySelector<HTMLElement>(`[data-path="${CSS.escape(p)}"]`);
    if (el) {
      const target = el.matches("input,textarea,select")
        ? el
        : (el.querySelector<HTMLElement>("input,textarea,select") ?? el);
      target.scrollIntoView({ block: "center" });
      target.focus();
      target.classList.add("flash");
      setTimeout(() => target.classList.remove("flash"), 1200);
      return true;
    }
    const cut = Math.max(p.lastIndexOf("."), p.lastIndexOf("["));
    p = cut > 0 ? p.slice(0, cut) : "";
  }
  return false;
}

/** A text that is one line in the register (a cancellation reason): line breaks and tabs
 * typed or pasted become single spaces, so that what the clerk typed is taken, not refused. */
export function oneLine(text: string): string {
  return text.replace(/[\r\n\t\u2028\u2029]+/g, " ").trim();
}
