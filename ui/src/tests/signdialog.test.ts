// The signing dialog and the verification screen (SignDialog, VerifyDialog) over the IPC as
// the app has it: no signing before a key file and its password; the password is sent
// once and not kept; the level reached and why not higher are said; a verified file shows
// each signature, and a forged one what is wrong.
import { describe, expect, it, vi } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { fireEvent, render, screen } from "@testing-library/svelte";
import SignDialog from "../lib/components/SignDialog.svelte";
import VerifyDialog from "../lib/components/VerifyDialog.svelte";
import type { Signed, VerifyView } from "../lib/bindings";

describe("SignDialog", () => {
  it("asks for the key and its password, signs once, and says the level", async () => {
    const calls: [string, Record<string, unknown>][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args as Record<string, unknown>]);
      switch (cmd) {
        case "tsa_url":
          return "http://tsa.example/tsr";
        case "choose_signing_key":
          return "somchai.p12";
        case "sign_letter":
          return {
            number: "ทส ๐๐๐๑/๑",
            notes: [["ไม่ได้ข้อมูลสถานะใบรับรอง (OCSP) ครบ จึงลงนามระดับ B-T", "…"]],
            signature: {
              id: 1,
              letter_id: 7,
              seq: 1,
              kind: "pades",
              signer: "สมชาย ใจดี",
              position: "",
              certificate: "",
              level: "B-T",
              signed_at: "",
              timestamp: "2026-12-06T01:00:00+00:00",
              signed_by: "clerk",
              pdf_sha256: "",
              size: 1,
            },
          } satisfies Signed;
        default:
          return null;
      }
    });
    const notes: string[] = [];
    render(SignDialog, {
      props: { id: 7, number: "ทส ๐๐๐๑/๑", subject: "ทดสอบ", notify: (t: string) => notes.push(t), onclose: () => {} },
    });
    const confirm = (await screen.findByTestId("sign-confirm")) as HTMLButtonElement;
    await vi.waitFor(() =>
      expect((screen.getByTestId("sign-tsa") as HTMLInputElement).value).toBe("http://tsa.example/tsr"),
    );
    expect(confirm.disabled).toBe(true);
    await fireEvent.click(screen.getByTestId("sign-choose-key"));
    await vi.waitFor(() => expect(screen.getByTestId("sign-key-name").textContent).toBe("somchai.p12"));
    expect(confirm.disabled).toBe(true);
    await fireEvent.input(screen.getByTestId("sign-password"), { target: { value: "รหัส" } });
    expect(confirm.disabled).toBe(false);
    await fireEvent.click(confirm);
    await vi.waitFor(() => expect(screen.getByTestId("sign-level").textContent).toBe("PAdES B-T"));
    expect(screen.getByTestId("sign-result").textContent).toContain("จึงลงนามระดับ B-T");
    const signs = calls.filter(([c]) => c === "sign_letter");
    expect(signs).toHaveLength(1);
    expect(signs[0][1]).toMatchObject({ id: 7, password: "รหัส", tsa: "http://tsa.example/tsr", position: null });
    expect(notes[0]).toContain("ระดับ B-T");
    expect(screen.queryByTestId("sign-password")).toBeNull();
    clearMocks();
  });
});

describe("VerifyDialog", () => {
  it("shows each signature and what is wrong", async () => {
    const view: VerifyView = {
      file: "changed.pdf",
      kind: "pdf",
      valid: false,
      number: "ทส ๐๐๐๑/๑",
      entry: 1,
      notes: [],
      signatures: [
        {
          field: "ลายมือชื่อ1",
          signer: "สมชาย ใจดี",
          issuer: "Test CA",
          level: "B-LT",
          time: "๖ ธ.ค. ๒๕๖๙ ๐๘.๐๐ น.",
          timestamped: true,
          trusted_root: "Test CA",
          problems: ["เนื้อหาที่ลงนามถูกแก้ไข"],
          added_after: false,
          valid: false,
        },
      ],
    };
    mockIPC((cmd) => (cmd === "verify_file" ? view : null));
    render(VerifyDialog, { props: { onclose: () => {} } });
    await fireEvent.click(await screen.findByTestId("verify-choose"));
    await vi.waitFor(() => expect(screen.getByTestId("verify-verdict").textContent).toContain("ไม่ผ่านการตรวจสอบ"));
    const sig = screen.getByTestId("verify-signature").textContent ?? "";
    expect(sig).toContain("PAdES B-LT");
    expect(sig).toContain("เนื้อหาที่ลงนามถูกแก้ไข");
    expect(screen.getByTestId("verify-number").textContent).toContain("ในทะเบียนนี้");
    clearMocks();
  });
});
