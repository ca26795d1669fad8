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

/** What the clerk sees while the register book prints: the page and the share done. */
export function bookProgressText(p: { rows: number; total: number; pages: number }): string {
  const pct = p.total > 0 ? Math.floor((p.rows * 100) / p.total) : 100;
  return thaiDigits(
    `กำลังพิมพ์สมุดทะเบียน… หน้า ${p.pages} · หนังสือ ${p.rows.toLocaleString("en-US")}/${p.total.toLocaleString("en-US")} ฉบับ (${pct}%)`,
  );
}
