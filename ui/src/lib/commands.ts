// Generated from src-tauri/src/commands.rs (src-tauri/src/ipc.rs) by
// `SARABAN_WRITE_BINDINGS=1 cargo test -p saraban-app commands_ts`. Do not edit: change
// the command and generate again. The UI calls the commands through lib/api.ts.
import { Channel, invoke } from "@tauri-apps/api/core";
import type { AuditReport, BookProgress, Courtesy, DraftInfo, DraftVersion, Entry, ExportFormat, Finding, Issued, Kind, KindChange, Letter, NextNumber, OfficeProfile, OfficeSetup, Opened, Receipt, ReceiptQuery, Received, ReceivedFields, Routed, RoutingStep, SearchPage, SearchQuery } from "./bindings";

export const commands = {
  officeSetup: (): Promise<OfficeSetup> => invoke<OfficeSetup>("office_setup"),
  reopenRegister: (): Promise<OfficeSetup> => invoke<OfficeSetup>("reopen_register"),
  useRegister: (location: string, password: string | null): Promise<OfficeSetup> => invoke<OfficeSetup>("use_register", { location, password }),
  pickRegisterFile: (create: boolean): Promise<OfficeSetup | null> => invoke<OfficeSetup | null>("pick_register_file", { create }),
  saveProfile: (profile: OfficeProfile): Promise<OfficeSetup> => invoke<OfficeSetup>("save_profile", { profile }),
  importEmblem: (): Promise<OfficeSetup | null> => invoke<OfficeSetup | null>("import_emblem"),
  removeEmblem: (): Promise<OfficeSetup> => invoke<OfficeSetup>("remove_emblem"),
  emblemImage: (): Promise<ArrayBuffer> => invoke<ArrayBuffer>("emblem_image"),
  importFont: (): Promise<OfficeSetup | null> => invoke<OfficeSetup | null>("import_font"),
  removeFont: (): Promise<OfficeSetup> => invoke<OfficeSetup>("remove_font"),
  newLetter: (kind: Kind): Promise<Letter> => invoke<Letter>("new_letter", { kind }),
  changeKind: (letter: Letter, kind: Kind): Promise<KindChange> => invoke<KindChange>("change_kind", { letter, kind }),
  courtesy: (recipient: string): Promise<Courtesy> => invoke<Courtesy>("courtesy", { recipient }),
  renderPreview: (letter: Letter): Promise<ArrayBuffer> => invoke<ArrayBuffer>("render_preview", { letter }),
  checkLetter: (letter: Letter): Promise<Finding[]> => invoke<Finding[]>("check_letter", { letter }),
  saveDraft: (id: number | null, letter: Letter): Promise<number> => invoke<number>("save_draft", { id, letter }),
  drafts: (filter: string): Promise<DraftInfo[]> => invoke<DraftInfo[]>("drafts", { filter }),
  openDraft: (id: number): Promise<Letter> => invoke<Letter>("open_draft", { id }),
  draftVersions: (id: number): Promise<DraftVersion[]> => invoke<DraftVersion[]>("draft_versions", { id }),
  draftVersion: (id: number, version: number): Promise<Letter> => invoke<Letter>("draft_version", { id, version }),
  restoreDraft: (id: number, version: number): Promise<Letter> => invoke<Letter>("restore_draft", { id, version }),
  deleteDraft: (id: number): Promise<null> => invoke<null>("delete_draft", { id }),
  duplicateDraft: (id: number): Promise<number> => invoke<number>("duplicate_draft", { id }),
  nextNumber: (letter: Letter, date: string | null): Promise<NextNumber> => invoke<NextNumber>("next_number", { letter, date }),
  issueDraft: (id: number, date: string | null, anyDate: boolean | null): Promise<Issued> => invoke<Issued>("issue_draft", { id, date, anyDate }),
  search: (query: SearchQuery): Promise<SearchPage> => invoke<SearchPage>("search", { query }),
  issuedLetter: (id: number): Promise<Letter> => invoke<Letter>("issued_letter", { id }),
  issuedPdf: (id: number): Promise<ArrayBuffer> => invoke<ArrayBuffer>("issued_pdf", { id }),
  saveIssuedPdf: (id: number): Promise<string | null> => invoke<string | null>("save_issued_pdf", { id }),
  saveLetterPdf: (letter: Letter): Promise<string | null> => invoke<string | null>("save_letter_pdf", { letter }),
  printIssued: (id: number): Promise<boolean> => invoke<boolean>("print_issued", { id }),
  cancelLetter: (id: number, reason: string): Promise<Entry> => invoke<Entry>("cancel_letter", { id, reason }),
  exportRegister: (format: ExportFormat, year: number | null): Promise<string | null> => invoke<string | null>("export_register", { format, year }),
  exportBook: (year: number, onProgress: (message: BookProgress) => void): Promise<string | null> => {
    const onProgressChannel = new Channel<BookProgress>();
    onProgressChannel.onmessage = onProgress;
    return invoke<string | null>("export_book", { year, onProgress: onProgressChannel });
  },
  importLetter: (): Promise<Letter | null> => invoke<Letter | null>("import_letter"),
  exportLetter: (letter: Letter): Promise<string | null> => invoke<string | null>("export_letter", { letter }),
  verifyAudit: (): Promise<AuditReport> => invoke<AuditReport>("verify_audit"),
  appReady: (): Promise<null> => invoke<null>("app_ready"),
  openReceived: (): Promise<Opened | null> => invoke<Opened | null>("open_received"),
  openDropped: (name: string, bytes: number[]): Promise<Opened> => invoke<Opened>("open_dropped", { name, bytes }),
  openNextReceived: (): Promise<Opened | null> => invoke<Opened | null>("open_next_received"),
  receivedPreview: (): Promise<ArrayBuffer> => invoke<ArrayBuffer>("received_preview"),
  receiveOpened: (fields: ReceivedFields, again: boolean): Promise<Received> => invoke<Received>("receive_opened", { fields, again }),
  receipts: (query: ReceiptQuery): Promise<Receipt[]> => invoke<Receipt[]>("receipts", { query }),
  receivedPdf: (id: number): Promise<ArrayBuffer> => invoke<ArrayBuffer>("received_pdf", { id }),
  routeReceipt: (id: number, step: RoutingStep): Promise<Routed> => invoke<Routed>("route_receipt", { id, step }),
  replyLetter: (id: number): Promise<Letter> => invoke<Letter>("reply_letter", { id }),
  cancelReceipt: (id: number, reason: string): Promise<Receipt> => invoke<Receipt>("cancel_receipt", { id, reason }),
  overdueReceipts: (): Promise<Receipt[]> => invoke<Receipt[]>("overdue_receipts"),
  routingSheet: (id: number): Promise<ArrayBuffer> => invoke<ArrayBuffer>("routing_sheet", { id }),
  saveRoutingSheet: (id: number): Promise<string | null> => invoke<string | null>("save_routing_sheet", { id }),
};
