// Thai dates and digits for the screen: Buddhist-Era years, Thai month names, Asia/Bangkok.

import { MONTHS } from "./bindings";

// The month names are the core's (thai::date::MONTHS), generated into bindings.ts.
export { MONTHS };

const THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙";

/** Arabic digits to Thai digits. */
export function thaiDigits(s: string | number): string {
  return String(s).replace(/[0-9]/g, (d) => THAI_DIGITS[Number(d)]);
}

/** Today in Thailand (UTC+7), as YYYY-MM-DD, whatever the computer's time zone. */
export function todayBangkok(now: Date = new Date()): string {
  // Thailand keeps UTC+7 all year; no locale's date format is relied on.
  const bangkok = new Date(now.getTime() + 7 * 3600 * 1000);
  return bangkok.toISOString().slice(0, 10);
}

/** The parts of an ISO date (YYYY-MM-DD or YYYY-MM); year in CE. */
export function parseIso(iso: string | null | undefined): { year: number; month: number; day: number | null } | null {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(iso ?? "");
  if (!m) return null;
  return { year: Number(m[1]), month: Number(m[2]), day: m[3] ? Number(m[3]) : null };
}

/** Days in a month of a CE year. */
export function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** An ISO date from a BE year, a month 1–12 and a day (null: month only). */
export function toIso(yearBe: number, month: number, day: number | null): string {
  const y = String(yearBe - 543).padStart(4, "0");
  const m = String(month).padStart(2, "0");
  return day == null ? `${y}-${m}` : `${y}-${m}-${String(day).padStart(2, "0")}`;
}

/** `๑๒ ธันวาคม ๒๕๖๙` (or `ธันวาคม ๒๕๖๙` for a month-only date); empty for no date. */
export function formatThaiDate(iso: string | null | undefined): string {
  const p = parseIso(iso);
  if (!p) return "";
  const text = `${p.day != null ? p.day + " " : ""}${MONTHS[p.month - 1]} ${p.year + 543}`;
  return thaiDigits(text);
}

/** A moment recorded (RFC 3339, any offset) as Bangkok's clock shows it:
 * `๕ ธันวาคม ๒๕๖๙ ๑๐.๓๐ น.`; the text as it came when it is not a time. */
export function formatThaiWhen(at: string): string {
  const t = Date.parse(at);
  if (Number.isNaN(t)) return at;
  const bangkok = new Date(t + 7 * 3600 * 1000).toISOString();
  return `${formatThaiDate(bangkok.slice(0, 10))} ${thaiDigits(bangkok.slice(11, 13) + "." + bangkok.slice(14, 16))} น.`;
}

/** What the clerk sees while the register book prints: the page and the share done. */
export function bookProgressText(p: { rows: number; total: number; pages: number }): string {
  const pct = p.total > 0 ? Math.floor((p.rows * 100) / p.total) : 100;
  return thaiDigits(
    `กำลังพิมพ์สมุดทะเบียน… หน้า ${p.pages} · หนังสือ ${p.rows.toLocaleString("en-US")}/${p.total.toLocaleString("en-US")} ฉบับ (${pct}%)`,
  );
}

/** What a typed year means: a Buddhist-Era year, a Christian-Era year (offered as BE),
 *  or a problem to say. Thai or Arabic digits. Partial input (fewer than four digits) is
 *  `null`: the clerk is still typing. */
export type YearReading = { be: number } | { ce: number; be: number } | { problem: string } | null;

export function readYear(text: string): YearReading {
  const t = text.trim().replace(/[๐-๙]/g, (c) => String(THAI_DIGITS.indexOf(c)));
  if (t === "") return null;
  if (!/^\d+$/.test(t)) return { problem: "ปีต้องเป็นตัวเลข พ.ศ. ๔ หลัก เช่น ๒๕๖๙" };
  if (t.length < 4) return null;
  const y = Number(t);
  if (t.length === 4 && y >= 2400 && y <= 2700) return { be: y };
  if (t.length === 4 && y >= 1900 && y < 2400 && y + 543 <= 2700) return { ce: y, be: y + 543 };
  return {
    problem: thaiDigits(`ปี ${t} ไม่ใช่ปี พ.ศ. ที่ใช้ได้ (พิมพ์ปี พ.ศ. ๔ หลัก เช่น ${Number(todayBangkok().slice(0, 4)) + 543})`),
  };
}

/** What the confirmation says when the date a letter will carry is not the one the clerk
 *  typed (a month-only draft date of another month, no date at all); null when it is. */
export function carriedDateNote(typed: string | null | undefined, carried: string): string | null {
  const t = parseIso(typed);
  if (!t) return `หนังสือนี้ยังไม่ได้ลงวันที่ จะลงวันที่ ${formatThaiDate(carried)}`;
  const c = parseIso(carried)!;
  if (t.day != null) {
    return typed === carried
      ? null
      : `วันที่ที่พิมพ์ไว้ (${formatThaiDate(typed)}) ต่างจากวันที่ที่จะลงในหนังสือ (${formatThaiDate(carried)})`;
  }
  if (t.year === c.year && t.month === c.month) return null;
  return `วันที่ที่พิมพ์ไว้คือ ${formatThaiDate(typed)} แต่หนังสือจะลงวันที่ ${formatThaiDate(carried)} (วันที่ออกเลข)`;
}
