// Whether a letter may take a number (ออกเลข): the rule the issue confirmation follows.
// A number is a legal record, never spent on a letter that is not ready: errors stop the
// issue (the core refuses them too, whichever front end asks), warnings are shown and
// need the clerk's tick, notes (information) are neither.
import type { Finding } from "./bindings";

export interface Readiness {
  /** What must be corrected before the letter can take a number. */
  errors: Finding[];
  /** What the clerk must have seen (a tick) before the letter takes a number. */
  warnings: Finding[];
}

export function readiness(findings: Finding[]): Readiness {
  return {
    errors: findings.filter((f) => f.level === "error"),
    warnings: findings.filter((f) => f.level === "warning"),
  };
}

/** Whether the confirmation may issue: no errors, and every warning acknowledged. */
export function canIssue(r: Readiness, warningsSeen: boolean): boolean {
  return r.errors.length === 0 && (r.warnings.length === 0 || warningsSeen);
}
