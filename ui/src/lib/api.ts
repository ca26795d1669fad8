// The one door to the Rust side: every call is a Tauri command over `saraban::Office`,
// typed with the types generated from the Rust structs (bindings.ts).
import { Channel, invoke } from "@tauri-apps/api/core";
import type {
  AuditReport,
  BookProgress,
  Courtesy,
  DraftInfo,
  DraftVersion,
  Entry,
  ExportFormat,
  Failure,
  Finding,
  Issued,
  Kind,
  Letter,
  NextNumber,
  OfficeProfile,
  OfficeSetup,
  SearchPage,
  SearchQuery,
} from "./bindings";

/** A failure from the Rust side, or any other error, as one Thai message. */
export function messageOf(e: unknown): string {
  if (e && typeof e === "object" && "message" in e && typeof (e as Failure).message === "string") {
    return (e as Failure).message;
  }
  if (typeof e === "string") return e;
  return "เกิดข้อผิดพลาดที่ไม่คาดคิด กรุณาลองอีกครั้ง";
}

/** The fields a failure points at. */
export function problemsOf(e: unknown): { path: string; message: string }[] {
  if (e && typeof e === "object" && Array.isArray((e as Failure).problems)) return (e as Failure).problems;
  return [];
}

const call = <T>(cmd: string, args?: Record<string, unknown>) => invoke<T>(cmd, args);

export const api = {
  setup: () => call<OfficeSetup>("office_setup"),
  useRegister: (location: string, password: string | null) => call<OfficeSetup>("use_register", { location, password }),
  pickRegisterFile: (create: boolean) => call<OfficeSetup | null>("pick_register_file", { create }),
  reopenRegister: () => call<OfficeSetup>("reopen_register"),
  saveProfile: (profile: OfficeProfile) => call<OfficeSetup>("save_profile", { profile }),
  importEmblem: () => call<OfficeSetup | null>("import_emblem"),
  removeEmblem: () => call<OfficeSetup>("remove_emblem"),
  emblemImage: () => call<ArrayBuffer>("emblem_image"),
  importFont: () => call<OfficeSetup | null>("import_font"),
  removeFont: () => call<OfficeSetup>("remove_font"),
  newLetter: (kind: Kind) => call<Letter>("new_letter", { kind }),
  courtesy: (recipient: string) => call<Courtesy>("courtesy", { recipient }),
  renderPreview: (letter: Letter) => call<ArrayBuffer>("render_preview", { letter }),
  check: (letter: Letter) => call<Finding[]>("check_letter", { letter }),
  saveDraft: (id: number | null, letter: Letter) => call<number>("save_draft", { id, letter }),
  drafts: (filter: string) => call<DraftInfo[]>("drafts", { filter }),
  openDraft: (id: number) => call<Letter>("open_draft", { id }),
  draftVersions: (id: number) => call<DraftVersion[]>("draft_versions", { id }),
  draftVersion: (id: number, version: number) => call<Letter>("draft_version", { id, version }),
  restoreDraft: (id: number, version: number) => call<Letter>("restore_draft", { id, version }),
  deleteDraft: (id: number) => call<null>("delete_draft", { id }),
  duplicateDraft: (id: number) => call<number>("duplicate_draft", { id }),
  nextNumber: (letter: Letter, date: string | null) => call<NextNumber>("next_number", { letter, date }),
  issueDraft: (id: number, date: string | null, anyDate = false) => call<Issued>("issue_draft", { id, date, anyDate }),
  search: (query: SearchQuery) => call<SearchPage>("search", { query }),
  issuedLetter: (id: number) => call<Letter>("issued_letter", { id }),
  issuedPdf: (id: number) => call<ArrayBuffer>("issued_pdf", { id }),
  saveIssuedPdf: (id: number) => call<string | null>("save_issued_pdf", { id }),
  saveLetterPdf: (letter: Letter) => call<string | null>("save_letter_pdf", { letter }),
  printIssued: (id: number) => call<boolean>("print_issued", { id }),
  cancel: (id: number, reason: string) => call<Entry>("cancel_letter", { id, reason }),
  exportRegister: (format: ExportFormat, year: number | null) =>
    call<string | null>("export_register", { format, year }),
  exportBook: (year: number, onProgress: (p: BookProgress) => void = () => {}) => {
    const channel = new Channel<BookProgress>();
    channel.onmessage = onProgress;
    return call<string | null>("export_book", { year, onProgress: channel });
  },
  importLetter: () => call<Letter | null>("import_letter"),
  exportLetter: (letter: Letter) => call<string | null>("export_letter", { letter }),
  verifyAudit: () => call<AuditReport>("verify_audit"),
  ready: () => call<null>("app_ready"),
};
