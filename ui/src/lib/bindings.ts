// Generated from the Rust types by `SARABAN_WRITE_BINDINGS=1 cargo test bindings`.
// Do not edit: change the Rust type and generate again.

export type Letter = { 
/**
 * Version of the interchange format (always 1).
 */
format?: FormatVersion | null, 
/**
 * ชนิดของหนังสือ.
 */
kind: Kind, 
/**
 * หนังสือเวียน: numbered in the ว series.
 */
circular?: boolean, 
/**
 * ชั้นความเร็ว.
 */
urgency?: Urgency | null, 
/**
 * ชั้นความลับ.
 */
secrecy?: Secrecy | null, 
/**
 * ที่: the letter code and running number.
 */
number?: LetterNumber | null, 
/**
 * ส่วนราชการเจ้าของหนังสือ and its address.
 */
agency?: Agency | null, 
/**
 * วัน เดือน ปี (Gregorian in the file, Buddhist Era on paper).
 */
date?: string, 
/**
 * เรื่อง.
 */
subject?: string | null, 
/**
 * คำขึ้นต้น (เรียน, กราบเรียน …); the kind's default when absent.
 */
salutation?: string | null, 
/**
 * ผู้รับ: to whom.
 */
recipient?: string | null, 
/**
 * บัญชีแนบท้าย: the distribution list on its own page.
 */
distribution?: Distribution | null, 
/**
 * อ้างถึง.
 */
references?: Array<string>, 
/**
 * สิ่งที่ส่งมาด้วย.
 */
enclosures?: Array<Enclosure>, 
/**
 * ข้อความ: the paragraphs of the body.
 */
body: Array<BodyBlock>, 
/**
 * คำลงท้าย; the kind's default when absent.
 */
closing?: string | null, 
/**
 * ผู้ลงนาม.
 */
signer?: Signer | null, 
/**
 * ตราชื่อส่วนราชการ of a stamped letter.
 */
stamp?: Stamp | null, 
/**
 * ส่วนราชการเจ้าของเรื่อง and how to reach it.
 */
owner?: Owner | null, 
/**
 * QR codes printed at the end of the letter.
 */
qr?: Array<Qr>, 
/**
 * สำเนาส่ง.
 */
copies_to?: Array<string>, 
/**
 * How digits are printed.
 */
digits: Digits, 
/**
 * Paper size (memos only; A4 by default).
 */
paper?: Paper | null, 
/**
 * Initials of ผู้ร่าง / ผู้พิมพ์ / ผู้ทาน, printed on the file copy.
 */
initials?: Initials | null, 
/**
 * The received letter this one answers (ตอบหนังสือรับ): its receipt in the incoming
 * register. Not printed (its อ้างถึง says it on paper); the register links the two.
 */
reply_to?: ReplyTo | null, };

export type FormatVersion = number;

export type Kind = "external" | "memo" | "stamped" | "order" | "announcement";

export type Parts = { 
/**
 * ชั้นความเร็ว and ชั้นความลับ.
 */
urgency: boolean, 
/**
 * ที่ (the letter number): needed to issue.
 */
number: boolean, 
/**
 * ส่วนราชการเจ้าของหนังสือ.
 */
agency: boolean, 
/**
 * Its address (ที่ตั้ง).
 */
address: boolean, 
/**
 * คำขึ้นต้น (เรียน …).
 */
salutation: boolean, 
/**
 * The recipient (เรียน / ถึง): needed.
 */
recipient: boolean, 
/**
 * อ้างถึง.
 */
references: boolean, 
/**
 * สิ่งที่ส่งมาด้วย.
 */
enclosures: boolean, 
/**
 * คำลงท้าย.
 */
closing: boolean, 
/**
 * The signer (ลงชื่อ, ตำแหน่ง): a warning when missing.
 */
signer: boolean, 
/**
 * The stamp of the agency (ตราชื่อส่วนราชการ) of a stamped letter.
 */
stamp: boolean, 
/**
 * ส่วนราชการเจ้าของเรื่อง (unit, telephone, e-mail): a warning when missing.
 */
owner: boolean, 
/**
 * QR codes.
 */
qr: boolean, 
/**
 * สำเนาส่ง.
 */
copies: boolean, 
/**
 * The distribution list of a circular (บัญชีรายชื่อ).
 */
distribution: boolean, 
/**
 * The paper size chosen (a memo may be half a sheet).
 */
paper: boolean, 
/**
 * May be a circular (หนังสือเวียน).
 */
circular: boolean, };

export type Urgency = "urgent" | "very_urgent" | "most_urgent";

export type Secrecy = "confidential" | "secret" | "top_secret";

export type LetterNumber = { 
/**
 * รหัสตัวพยัญชนะและเลขประจำของเจ้าของเรื่อง, e.g. `มท ๐๘๑๐.๒`.
 */
prefix?: string | null, 
/**
 * เลขทะเบียนหนังสือส่ง; absent in a draft.
 */
running?: RunningNumber | null, };

export type RunningNumber = number;

export type Agency = { 
/**
 * ชื่อส่วนราชการ.
 */
name: string, 
/**
 * ที่ตั้ง, one line each.
 */
address?: Array<string>, };

export type Distribution = { 
/**
 * The heading of the list.
 */
title?: string | null, 
/**
 * ผู้รับ, one per row.
 */
recipients: Array<string>, };

export type Enclosure = { 
/**
 * ชื่อสิ่งที่ส่งมาด้วย.
 */
title: string, 
/**
 * จำนวน, e.g. `จำนวน ๑ ชุด`, printed at the right-hand tab.
 */
quantity?: string | null, };

export type BodyBlock = string | StyledBlock;

export type StyledBlock = { 
/**
 * The text.
 */
text: string, 
/**
 * How it is set.
 */
style: BlockStyle, };

export type BlockStyle = "paragraph" | "item" | "plain";

export type Signer = { 
/**
 * ชื่อเต็ม, printed in parentheses. Empty when the name is written by hand: the page
 * keeps the signature space and a blank line in parentheses.
 */
name: string, 
/**
 * ตำแหน่ง lines under the name, as typed (the plain form).
 */
positions?: Array<string>, 
/**
 * ตำแหน่งของผู้ลงนาม: the signer's own position.
 */
position?: string | null, 
/**
 * การลงนามแทน: how the signer signs for the holder of another position.
 */
acting?: Acting | null, 
/**
 * ตำแหน่งที่ลงนามแทน: the position covered.
 */
for_position?: string | null, };

export type Acting = "ปฏิบัติราชการแทน" | "รักษาราชการแทน" | "รักษาการในตำแหน่ง" | "ปฏิบัติหน้าที่แทน" | "รักษาการแทน";

export type Initials = { 
/**
 * ผู้ร่าง.
 */
drafter?: string | null, 
/**
 * ผู้พิมพ์.
 */
typist?: string | null, 
/**
 * ผู้ทาน.
 */
proofreader?: string | null, 
/**
 * ผู้ตรวจ.
 */
reviewer?: string | null, };

export type ReplyTo = { 
/**
 * เลขทะเบียนรับ.
 */
receipt_number: number, 
/**
 * Its Buddhist-Era year.
 */
year_be: number, };

export type Paper = "a4" | "a5";

export type Stamp = { 
/**
 * The agency whose seal is stamped.
 */
agency?: string | null, };

export type Owner = { 
/**
 * กอง / สำนัก.
 */
department?: string | null, 
/**
 * กลุ่มงาน / ฝ่าย.
 */
unit?: string | null, 
/**
 * โทร.
 */
phone?: string | null, 
/**
 * โทรสาร.
 */
fax?: string | null, 
/**
 * ไปรษณีย์อิเล็กทรอนิกส์; never converted to Thai digits.
 */
email?: string | null, };

export type Qr = { 
/**
 * What the code holds; never converted to Thai digits.
 */
data: string, 
/**
 * คำอธิบายใต้ QR code.
 */
caption?: string | null, };

export type Digits = "thai" | "arabic" | "as_typed";

export type Level = "error" | "warning" | "info";

export type Finding = { 
/**
 * How serious.
 */
level: Level, 
/**
 * Dotted JSON path with indexes.
 */
path: string, 
/**
 * The message in Thai.
 */
th: string, 
/**
 * The message in English.
 */
en: string, 
/**
 * A replacement for the field's text, where there is one.
 */
suggestion: string | null, };

export type DraftInfo = { 
/**
 * Its id.
 */
id: number, 
/**
 * Its subject (or empty).
 */
title: string, 
/**
 * Letter kind.
 */
kind: Kind, 
/**
 * Last saved.
 */
updated_at: string, 
/**
 * How many versions are kept.
 */
versions: number, };

export type DraftVersion = { 
/**
 * Version id.
 */
id: number, 
/**
 * When it was saved.
 */
saved_at: string, 
/**
 * What changed since the version before it, by the form's names for the fields
 * (เรื่อง, ข้อความ ย่อหน้าที่ ๒); empty for the first version.
 */
changed: Array<string>, };

export type Entry = { 
/**
 * Row id.
 */
id: number, 
/**
 * Issued or cancelled.
 */
status: Status, 
/**
 * Letter kind.
 */
kind: Kind, 
/**
 * The number as printed, e.g. `มท ๐๘๑๐.๒/ว ๑๒๓`.
 */
number: string, 
/**
 * เลขทะเบียนส่ง.
 */
running: number, 
/**
 * Buddhist-Era year of the series.
 */
year_be: number, 
/**
 * ลงวันที่, ISO.
 */
date: string, 
/**
 * เรื่อง.
 */
subject: string, 
/**
 * ถึง.
 */
recipient: string, 
/**
 * จาก: the agency.
 */
from: string, 
/**
 * หมายเหตุ: the cancellation, if any.
 */
note: string, 
/**
 * SHA-256 of the stored PDF.
 */
sha256: string, };

export type Hit = { 
/**
 * The text around the match, the match in «».
 */
snippet: string, 
/**
 * Row id.
 */
id: number, 
/**
 * Issued or cancelled.
 */
status: Status, 
/**
 * Letter kind.
 */
kind: Kind, 
/**
 * The number as printed, e.g. `มท ๐๘๑๐.๒/ว ๑๒๓`.
 */
number: string, 
/**
 * เลขทะเบียนส่ง.
 */
running: number, 
/**
 * Buddhist-Era year of the series.
 */
year_be: number, 
/**
 * ลงวันที่, ISO.
 */
date: string, 
/**
 * เรื่อง.
 */
subject: string, 
/**
 * ถึง.
 */
recipient: string, 
/**
 * จาก: the agency.
 */
from: string, 
/**
 * หมายเหตุ: the cancellation, if any.
 */
note: string, 
/**
 * SHA-256 of the stored PDF.
 */
sha256: string, };

export type Issued = { 
/**
 * Row id.
 */
id: number, 
/**
 * The number as printed on the letter.
 */
number: string, 
/**
 * The running number.
 */
running: number, 
/**
 * Buddhist-Era year of the series.
 */
year_be: number, 
/**
 * The date of the letter, ISO.
 */
date: string, 
/**
 * SHA-256 of the PDF, hex.
 */
sha256: string, };

export type AuditReport = { 
/**
 * Entries checked.
 */
entries: number, 
/**
 * Issued and cancelled letters checked against the chain.
 */
letters: number, 
/**
 * The first entry whose hash or link is wrong, if any.
 */
first_broken: number | null, 
/**
 * The newest entry's hash (what the anchor file and the register book carry).
 */
head: string, 
/**
 * Everything found wrong; empty when the register is intact.
 */
problems: Array<AuditProblem>, };

export type AuditProblem = { 
/**
 * The register entry (letter) concerned, if any.
 */
letter: number | null, 
/**
 * What is wrong, in Thai.
 */
th: string, 
/**
 * What is wrong, in English.
 */
en: string, };

export type SearchQuery = { 
/**
 * A substring of the number, subject, recipient, body, signer or owner.
 */
text: string | null, 
/**
 * Buddhist-Era year.
 */
year_be: number | null, 
/**
 * Issued on or after.
 */
from: string | null, 
/**
 * Issued on or before.
 */
to: string | null, 
/**
 * Letter kind.
 */
kind: Kind | null, 
/**
 * Issued or cancelled.
 */
status: Status | null, 
/**
 * At most this many (default 50).
 */
limit: number | null, 
/**
 * Skip this many first (the register table fetches page by page).
 */
offset: number | null, };

export type Status = "draft" | "issued" | "cancelled";

export type Unit = { 
/**
 * ชื่อหน่วยงาน.
 */
name: string, 
/**
 * รหัสหนังสือ, printed after ที่.
 */
prefix: string, };

export type OfficeProfile = { 
/**
 * ชื่อส่วนราชการ, e.g. กรมส่งเสริมการปกครองท้องถิ่น.
 */
agency: string, 
/**
 * ที่ตั้ง, one line each.
 */
address: Array<string>, 
/**
 * The units and their letter codes; the first is the default.
 */
units: Array<Unit>, 
/**
 * ส่วนราชการเจ้าของเรื่อง blocks (กอง, กลุ่มงาน, โทร., ไปรษณีย์อิเล็กทรอนิกส์); the
 * first is the default.
 */
owners: Array<Owner>, 
/**
 * ทำเนียบผู้ลงนาม: signers with their positions and acting forms; the first is the
 * default.
 */
signers: Array<Signer>, };

export type OfficeSetup = { 
/**
 * The profile.
 */
profile: OfficeProfile, 
/**
 * File name of the imported emblem (ตราครุฑ), if any.
 */
emblem: string | null, 
/**
 * File name of the imported letter font; none means the bundled Laksaman.
 */
font: string | null, 
/**
 * Whether the first-run profile has been filled in.
 */
configured: boolean, 
/**
 * Where the register lives.
 */
register: string, 
/**
 * Why the register could not be opened: the app then runs without one, and the clerk
 * chooses a register (or tries again) before anything else.
 */
problem: string | null, 
/**
 * The official letter fonts installed on this computer (TH SarabunIT๙ in Windows'
 * fonts folder, say), offered in the settings by name.
 */
installed_fonts: Array<string>, };

export type PrintCopy = "original" | "file_copy";

export type ExportFormat = "csv" | "xlsx";

export type SearchPage = { 
/**
 * The letters of this page, newest first.
 */
hits: Array<Hit>, 
/**
 * How many letters the search finds in all — for a search by text, at most
 * [`SEARCH_COUNT_CAP`]: with `more`, it finds more than that, and only the newest
 * `total` are listed.
 */
total: number, 
/**
 * The search finds more letters than `total` (not counted: a word in most letters of
 * a register of a million would take seconds to count; a clerk narrows the search).
 */
more: boolean, };

export type NextNumber = { 
/**
 * As printed, e.g. `มท ๐๘๑๐.๒/ว ๑๒๓`.
 */
number: string, 
/**
 * The running number.
 */
running: number, 
/**
 * The date of issue, ISO (Asia/Bangkok).
 */
date: string, };

export type BookProgress = { 
/**
 * Rows laid out so far.
 */
rows: number, 
/**
 * Rows in the book.
 */
total: number, 
/**
 * Pages written so far.
 */
pages: number, };

export type Courtesy = { 
/**
 * คำขึ้นต้น, e.g. เรียน.
 */
salutation: string, 
/**
 * คำลงท้าย, e.g. ขอแสดงความนับถือ.
 */
closing: string, };

export type KindChange = { 
/**
 * The letter as the new kind.
 */
letter: Letter, 
/**
 * What was left out.
 */
dropped: Array<string>, };

export type Failure = { 
/**
 * What went wrong and what to do, in Thai.
 */
message: string, 
/**
 * The fields at fault (JSON paths such as `subject`, `body[2]`), with their message.
 */
problems: Array<FieldProblem>, };

export type FieldProblem = { 
/**
 * JSON path of the field.
 */
path: string, 
/**
 * What is wrong with it, in Thai.
 */
message: string, };

export type ReceivedFields = { 
/**
 * ที่: the sender's number as printed (e.g. `มท ๐๘๑๐.๒/ว ๑๒๓`).
 */
number: string, 
/**
 * ลงวันที่: the letter's date, ISO.
 */
date: string | null, 
/**
 * จาก: the sending agency.
 */
from: string, 
/**
 * ถึง / เรียน: to whom it is addressed.
 */
to: string, 
/**
 * เรื่อง.
 */
subject: string, 
/**
 * ชั้นความเร็ว.
 */
urgency: Urgency | null, 
/**
 * ชั้นความลับ.
 */
secrecy: Secrecy | null, 
/**
 * อ้างถึง.
 */
references: Array<string>, 
/**
 * สิ่งที่ส่งมาด้วย.
 */
enclosures: Array<string>, };

export type ReadBy = "letter_data" | "text" | "ocr" | "clerk";

export type ReceivedKind = "pdf" | "scanned_pdf" | "image";

export type RoutingStep = { "step": "proposal", 
/**
 * สรุปเรื่อง.
 */
summary: string, 
/**
 * ข้อเสนอ (e.g. เห็นควรมอบกองคลังดำเนินการ).
 */
proposal: string, } | { "step": "order", 
/**
 * Who gave the order (name and position).
 */
by: string, 
/**
 * The order's text.
 */
text: string, 
/**
 * The date of the order, ISO.
 */
date: string, } | { "step": "hand_over", 
/**
 * The unit or officer.
 */
to: string, 
/**
 * A note.
 */
note: string, } | { "step": "done", 
/**
 * What was done.
 */
note: string, };

export type Receipt = { 
/**
 * Row id.
 */
id: number, 
/**
 * เลขทะเบียนรับ.
 */
receipt_number: number, 
/**
 * The Buddhist-Era year it runs in.
 */
year_be: number, 
/**
 * Received at, ISO with the offset (Bangkok).
 */
received_at: string, 
/**
 * Who received it (the operating system's account).
 */
received_by: string, 
/**
 * The fields as confirmed.
 */
fields: ReceivedFields, 
/**
 * How they were read.
 */
read_by: ReadBy, 
/**
 * What the file is.
 */
kind: ReceivedKind, 
/**
 * The file's name as it arrived.
 */
file_name: string, 
/**
 * SHA-256 of the original file.
 */
sha256: string, 
/**
 * SHA-256 of the stamped copy.
 */
stamped_sha256: string, 
/**
 * Received or cancelled.
 */
status: ReceiptStatus, 
/**
 * หมายเหตุ: the cancellation, if any.
 */
note: string, 
/**
 * The routing so far, oldest first.
 */
routing: Array<Routed>, 
/**
 * The outgoing letters that answer it (their อ้างถึง names it), in order of issue.
 */
replies: Array<ReplyRef>, };

export type ReceiptStatus = "received" | "cancelled";

export type ReceiptQuery = { 
/**
 * A substring of the number, sender, recipient, subject, references or enclosures,
 * or the receipt number (`12/2569`).
 */
text: string | null, 
/**
 * Buddhist-Era year of the receipt.
 */
year_be: number | null, 
/**
 * At most this many (default 50).
 */
limit: number | null, 
/**
 * Skip this many first.
 */
offset: number | null, };

export type Routed = { 
/**
 * Row id.
 */
id: number, 
/**
 * When it was recorded, ISO.
 */
at: string, 
/**
 * Who recorded it.
 */
by: string, 
/**
 * The step.
 */
step: RoutingStep, };

export type ReplyRef = { 
/**
 * Its entry in the outgoing register.
 */
id: number, 
/**
 * Its number as printed.
 */
number: string, 
/**
 * Its date, ISO.
 */
date: string, };

export type Spot = { 
/**
 * The field: `number`, `date`, `from`, `to`, `subject`, `urgency`, `secrecy`,
 * `references`, `enclosures`.
 */
field: string, 
/**
 * The page, from 0.
 */
page: number, 
/**
 * The box, in points from the page's top left.
 */
rect: Rect, };

export type Rect = { x0: number, y0: number, x1: number, y1: number, };

export type ReadingView = { kind: ReceivedKind, read_by: ReadBy, fields: ReceivedFields, spots: Array<Spot>, 
/**
 * The note, in Thai.
 */
note: string, };

export type Received = { 
/**
 * The new entry of the incoming register.
 */
receipt: Receipt, 
/**
 * Whether the stamp went on a page put in front (no room at the top right).
 */
stamp_in_front: boolean, };

export type Opened = { 
/**
 * The file's name.
 */
name: string, 
/**
 * How many letters the file brings.
 */
letters: number, 
/**
 * What was read, and where.
 */
reading: ReadingView, };

export type Mailbox = { 
/**
 * The central address, `saraban@…`.
 */
address: string, 
/**
 * Where letters leave.
 */
smtp: Server, 
/**
 * Where letters arrive.
 */
imap: Server, 
/**
 * The login name (the address when empty).
 */
user: string, 
/**
 * A certificate (PEM) trusted instead of the system's authorities: an office
 * server's self-signed certificate, or the office's own authority. Any other
 * certificate is refused, so a changed certificate is noticed.
 */
pinned_cert?: string | null, 
/**
 * Fetch every so many minutes while the app runs (0: only on start and on demand).
 */
fetch_minutes: number, };

export type Server = { 
/**
 * Host name or address.
 */
host: string, 
/**
 * Port.
 */
port: number, 
/**
 * TLS.
 */
security: Security, };

export type Security = "implicit" | "starttls" | "none";

export type MailboxSetup = { 
/**
 * The mailbox, when one is set.
 */
mailbox: Mailbox | null, 
/**
 * Whether this computer keeps its password.
 */
password_kept: boolean, 
/**
 * Whether in the operating system's keyring (else in the owner-only file).
 */
in_keyring: boolean, };

export type Recipient = { 
/**
 * The agency.
 */
name: string, 
/**
 * Its address; `None`: not in the address book (said before sending).
 */
address: string | null, };

export type SendReport = { 
/**
 * Each sending, as it stands now.
 */
sendings: Array<Sending>, 
/**
 * Why some wait in the outbox (the server away), if they do.
 */
waiting_because: string | null, };

export type FetchReport = { 
/**
 * New messages recorded, each as it stands.
 */
taken: Array<MailIn>, 
/**
 * Messages already recorded (a copy sent again): not taken twice.
 */
duplicates: number, };

export type MailReceived = { 
/**
 * The message.
 */
mail: MailIn, 
/**
 * One receipt per letter it brought.
 */
receipts: Array<Received>, 
/**
 * The receipt reply (แจ้งเลขรับ) to the sender.
 */
reply: Sending | null, };

export type AddressEntry = { 
/**
 * Its id.
 */
id: number, 
/**
 * The agency's name, as a letter's เรียน or distribution list names it.
 */
name: string, 
/**
 * Its saraban@ address.
 */
address: string, 
/**
 * A note (the directory's code, a province).
 */
note: string, };

export type Sending = { 
/**
 * Its id.
 */
id: number, 
/**
 * What it carries.
 */
kind: SendingKind, 
/**
 * The issued letter.
 */
letter_id: number | null, 
/**
 * The receipt answered.
 */
receipt_id: number | null, 
/**
 * To whom.
 */
name: string, 
/**
 * At which address.
 */
address: string, 
/**
 * Its Message-ID.
 */
message_id: string, 
/**
 * The SHA-256 of the message kept.
 */
eml_sha256: string, 
/**
 * Its size in bytes.
 */
size: number, 
/**
 * Where it stands.
 */
status: SendingStatus, 
/**
 * When it joined the outbox, and who put it there.
 */
queued_at: string, 
/**
 * Who.
 */
queued_by: string, 
/**
 * How many times a server was tried.
 */
attempts: number, 
/**
 * When the server took it.
 */
sent_at: string | null, 
/**
 * The server's answer, or why the last try failed.
 */
answer: string | null, 
/**
 * The receipt reply that came back (เลขรับของผู้รับ), when one did.
 */
acknowledged: string | null, };

export type SendingKind = "letter" | "receipt_reply";

export type SendingStatus = "queued" | "sent" | "failed";

export type MailIn = { 
/**
 * Its id.
 */
id: number, 
/**
 * Its UID in the mailbox.
 */
uid: number, 
/**
 * Its Message-ID.
 */
message_id: string | null, 
/**
 * From.
 */
from_address: string, 
/**
 * From's name.
 */
from_name: string, 
/**
 * Subject.
 */
subject: string, 
/**
 * The sender's date.
 */
sent_at: string | null, 
/**
 * When it was fetched.
 */
fetched_at: string, 
/**
 * SHA-256 of the message kept.
 */
eml_sha256: string, 
/**
 * Size.
 */
size: number, 
/**
 * How many PDF letters.
 */
letters: number, 
/**
 * What it is, what became of it.
 */
state: MailState, 
/**
 * What the clerk should know.
 */
problem: string | null, 
/**
 * The receipt it became.
 */
receipt_id: number | null, };

export type MailState = "new" | "received" | "no_letter" | "dismissed" | "refused" | "acknowledgment";

export type Signature = { id: number, 
/**
 * The letter (register entry).
 */
letter_id: number, 
/**
 * 1 for the one who signs, 2 and on for countersigners.
 */
seq: number, kind: SignatureKind, 
/**
 * Who signed (the certificate's name, or the name typed).
 */
signer: string, 
/**
 * Their position as the letter shows it.
 */
position: string, 
/**
 * The certificate: its issuer and serial number (empty for a typed name).
 */
certificate: string, 
/**
 * PAdES B-B, B-T, B-LT, or `typed`.
 */
level: string, 
/**
 * When it was signed (this computer's clock).
 */
signed_at: string, 
/**
 * When the time-stamp authority says it existed (B-T and above).
 */
timestamp: string | null, 
/**
 * The account that signed in Saraban.
 */
signed_by: string, 
/**
 * The SHA-256 of the signed copy.
 */
pdf_sha256: string, 
/**
 * Its size in bytes.
 */
size: number, };

export type SignatureKind = "pades" | "typed";

export type Signed = { 
/**
 * The signature as recorded.
 */
signature: Signature, 
/**
 * The letter's number.
 */
number: string, 
/**
 * What did not go as asked (no time-stamp, no validation data), each a sentence in
 * Thai and in English.
 */
notes: Array<[string, string]>, };

export type SignatureView = { field: string, signer: string, issuer: string, 
/**
 * PAdES level (`B-B`, `B-T`, `B-LT`), or null when not a PAdES signature.
 */
level: string | null, 
/**
 * When the time-stamp authority says it existed (Thai), else the time claimed.
 */
time: string, 
/**
 * Whether the time is a time-stamp's.
 */
timestamped: boolean, 
/**
 * The trusted root it chains to.
 */
trusted_root: string | null, 
/**
 * What is wrong (Thai), empty when valid.
 */
problems: Array<string>, 
/**
 * Data (signatures, validation data) was added after it, the content unchanged.
 */
added_after: boolean, valid: boolean, };

export type VerifyView = { 
/**
 * The file's name.
 */
file: string, 
/**
 * `pdf` or `printed`.
 */
kind: string, valid: boolean, 
/**
 * The signatures of a PDF.
 */
signatures: Array<SignatureView>, 
/**
 * The letter of this register it is (its number), if it is one.
 */
number: string | null, entry: number | null, 
/**
 * What the verdict rests on, sentence by sentence (Thai).
 */
notes: Array<string>, };

/** The letter kinds, in the order the forms list them (Kind::ALL). */
export const KINDS: Kind[] = ["external", "memo", "stamped", "order", "announcement"];

/** Thai names of the letter kinds (Kind::thai_name). */
export const KIND_NAMES: Record<Kind, string> = { external: "หนังสือภายนอก", memo: "บันทึกข้อความ", stamped: "หนังสือประทับตรา", order: "คำสั่ง", announcement: "ประกาศ" };

/** What each kind of letter has (Kind::parts): the form shows these parts. */
export const KIND_PARTS: Record<Kind, Parts> = {
  external: {"urgency":true,"number":true,"agency":true,"address":true,"salutation":true,"recipient":true,"references":true,"enclosures":true,"closing":true,"signer":true,"stamp":false,"owner":true,"qr":true,"copies":true,"distribution":true,"paper":false,"circular":true},
  memo: {"urgency":true,"number":true,"agency":true,"address":false,"salutation":true,"recipient":true,"references":false,"enclosures":false,"closing":false,"signer":true,"stamp":false,"owner":true,"qr":true,"copies":true,"distribution":false,"paper":true,"circular":true},
  stamped: {"urgency":true,"number":true,"agency":true,"address":false,"salutation":false,"recipient":true,"references":false,"enclosures":true,"closing":false,"signer":false,"stamp":true,"owner":true,"qr":true,"copies":false,"distribution":true,"paper":false,"circular":true},
  order: {"urgency":false,"number":false,"agency":true,"address":false,"salutation":false,"recipient":false,"references":false,"enclosures":false,"closing":false,"signer":true,"stamp":false,"owner":false,"qr":true,"copies":false,"distribution":false,"paper":false,"circular":false},
  announcement: {"urgency":false,"number":false,"agency":true,"address":false,"salutation":false,"recipient":false,"references":false,"enclosures":false,"closing":false,"signer":true,"stamp":false,"owner":false,"qr":true,"copies":false,"distribution":false,"paper":false,"circular":false},
};

/** Thai names of a letter's standing in the register (Status::thai_name). */
export const STATUS_NAMES: Record<Status, string> = { draft: "ร่าง", issued: "ส่งแล้ว", cancelled: "ยกเลิก" };

/** The Thai month names, January first (thai::date::MONTHS). */
export const MONTHS: string[] = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"];

/** A search text shorter than this (characters) is looked for among the newest entries only (register::SHORT_TEXT). */
export const SHORT_TEXT = 3;

/** How many of the newest entries (register::SHORT_TEXT_WINDOW). */
export const SHORT_TEXT_WINDOW = 20000;
