// The one door to the Rust side: every call is a Tauri command over `saraban::Office`,
// through the callers generated from the Rust commands (commands.ts) with the types
// generated from the Rust structs (bindings.ts).
import type { BookProgress, Failure, Letter } from "./bindings";
import { commands } from "./commands";
import { plainPdf, readPreview, type Want } from "./preview";

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

// Every call goes through the generated, typed callers (commands.ts, made from the Rust
// commands): a command renamed or given other arguments fails the type check here.
export const api = {
  setup: commands.officeSetup,
  useRegister: commands.useRegister,
  pickRegisterFile: commands.pickRegisterFile,
  reopenRegister: commands.reopenRegister,
  saveProfile: commands.saveProfile,
  importEmblem: commands.importEmblem,
  removeEmblem: commands.removeEmblem,
  emblemImage: commands.emblemImage,
  importFont: commands.importFont,
  removeFont: commands.removeFont,
  useInstalledFont: commands.useInstalledFont,
  newLetter: commands.newLetter,
  changeKind: commands.changeKind,
  courtesy: commands.courtesy,
  /** The letter's pages drawn by the core at `want.scale` device pixels per point, those
   * the screen shows already (`want.known`) left out. */
  renderPreview: async (letter: Letter, want: Want) =>
    readPreview(await commands.renderPreview(letter, want.scale, want.known)),
  check: commands.checkLetter,
  saveDraft: commands.saveDraft,
  drafts: commands.drafts,
  openDraft: commands.openDraft,
  draftVersions: commands.draftVersions,
  draftVersion: commands.draftVersion,
  restoreDraft: commands.restoreDraft,
  deleteDraft: commands.deleteDraft,
  duplicateDraft: commands.duplicateDraft,
  nextNumber: commands.nextNumber,
  issueDraft: (id: number, date: string | null, anyDate = false) => commands.issueDraft(id, date, anyDate),
  search: commands.search,
  issuedLetter: commands.issuedLetter,
  /** An issued letter's stored PDF, for the preview. */
  issuedPreview: async (id: number) => plainPdf(await commands.issuedPdf(id)),
  saveIssuedPdf: commands.saveIssuedPdf,
  saveLetterPdf: commands.saveLetterPdf,
  saveLetterDocx: commands.saveLetterDocx,
  printIssued: commands.printIssued,
  cancel: commands.cancelLetter,
  exportRegister: commands.exportRegister,
  exportBook: (year: number, onProgress: (p: BookProgress) => void = () => {}) => commands.exportBook(year, onProgress),
  importLetter: commands.importLetter,
  exportLetter: commands.exportLetter,
  verifyAudit: commands.verifyAudit,
  openReceived: commands.openReceived,
  /** The received file being confirmed, for the preview. */
  receivedPreview: async () => plainPdf(await commands.receivedPreview()),
  receiveOpened: commands.receiveOpened,
  receipts: commands.receipts,
  /** A receipt's stamped copy, for the preview. */
  receivedPdf: async (id: number) => plainPdf(await commands.receivedPdf(id)),
  routeReceipt: commands.routeReceipt,
  replyLetter: commands.replyLetter,
  openNextReceived: commands.openNextReceived,
  /** A file dropped on the หนังสือรับ tab: its name and bytes. */
  openDropped: async (file: File) =>
    commands.openDropped(file.name, Array.from(new Uint8Array(await file.arrayBuffer()))),
  cancelReceipt: commands.cancelReceipt,
  overdueReceipts: commands.overdueReceipts,
  /** A receipt's routing sheet (ใบเกษียน), for the preview. */
  routingSheet: async (id: number) => plainPdf(await commands.routingSheet(id)),
  saveRoutingSheet: commands.saveRoutingSheet,
  ready: commands.appReady,
  // The saraban@ mailbox.
  mailboxSetup: commands.mailboxSetup,
  setMailbox: commands.setMailbox,
  pinMailCertificate: commands.pinMailCertificate,
  addresses: commands.addresses,
  addAddress: commands.addAddress,
  deleteAddress: commands.deleteAddress,
  importAddresses: commands.importAddresses,
  mailRecipients: commands.mailRecipients,
  pickEnclosures: commands.pickEnclosures,
  clearEnclosures: commands.clearEnclosures,
  sendLetter: commands.sendLetter,
  chooseSigningKey: commands.chooseSigningKey,
  tsaUrl: commands.tsaUrl,
  signLetter: commands.signLetter,
  verifyFile: commands.verifyFile,
  sendings: commands.sendings,
  outbox: commands.outbox,
  sendOutbox: commands.sendOutbox,
  fetchMail: commands.fetchMail,
  fetchedMail: commands.fetchedMail,
  openMail: commands.openMail,
  dismissMail: commands.dismissMail,
};
