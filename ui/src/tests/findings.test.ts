import { describe, expect, it } from "vitest";
import { fireEvent, render, screen } from "@testing-library/svelte";
import Findings from "../lib/components/Findings.svelte";
import type { Finding } from "../lib/bindings";

const mixed: Finding = {
  level: "warning",
  path: "body[0]",
  th: "ใช้เลขไทยปนกับเลขอารบิก (“๒๕๖4”) ควรใช้แบบเดียวกันทั้งฉบับ",
  en: "",
  suggestion: "ย่อหน้าทั้งย่อหน้าที่แก้แล้ว ๒๕๖๔",
};

describe("the findings pane", () => {
  it("says each problem once; the suggestion only when asked", async () => {
    render(Findings, { findings: [mixed] });
    expect(screen.getByTestId("findings-heading").textContent).toContain("(๑)");
    expect(screen.queryByText(mixed.suggestion!)).toBeNull();
    await fireEvent.click(screen.getByText("คำแนะนำ"));
    expect(screen.getByText(mixed.suggestion!)).toBeTruthy();
  });

  it("never says there is no problem while the preview shows a refusal", () => {
    render(Findings, { findings: [], refused: "ข้อความ ย่อหน้าที่ ๑: ยาวเกิน ๒๐,๐๐๐ ตัวอักษร" });
    const heading = screen.getByTestId("findings-heading").textContent!;
    expect(heading).not.toContain("ไม่พบปัญหา");
    expect(heading).toContain("(๑)");
    expect(screen.getByTestId("finding-refused").textContent).toContain("ยาวเกิน");
  });

  it("says it is reading, not that there is no problem, before the letter is checked", () => {
    render(Findings, { findings: [], checking: true });
    const heading = screen.getByTestId("findings-heading").textContent!;
    expect(heading).not.toContain("ไม่พบปัญหา");
    expect(heading).toContain("กำลังตรวจ");
  });

  it("shows no open problems for an issued letter", () => {
    render(Findings, { findings: [mixed], issued: true });
    expect(screen.getByTestId("findings-heading").textContent).toContain("ออกเลขแล้ว");
    expect(screen.queryByText(mixed.th, { exact: false })).toBeNull();
  });
});
