// The send dialog (lib/components/SendDialog.svelte) over the IPC as the app has it: a
// recipient without an address holds the send back until the clerk gives one; the send
// then shows each recipient's result.
import { describe, expect, it, vi } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { fireEvent, render, screen } from "@testing-library/svelte";
import SendDialog from "../lib/components/SendDialog.svelte";
import type { Recipient, SendReport, Sending } from "../lib/bindings";

const sent = (name: string, address: string): Sending => ({
  id: 1,
  kind: "letter",
  letter_id: 7,
  receipt_id: null,
  name,
  address,
  message_id: "m@a.go.th",
  eml_sha256: "",
  size: 1,
  status: "sent",
  queued_at: "",
  queued_by: "",
  attempts: 1,
  sent_at: "",
  answer: "250 2.0.0 Ok",
  acknowledged: null,
});

describe("SendDialog", () => {
  it("says a missing address before sending, takes one, then shows each result", async () => {
    let book: Record<string, string> = { "จังหวัดทดสอบ ข": "saraban@b.go.th" };
    const calls: string[] = [];
    mockIPC((cmd, args) => {
      calls.push(cmd);
      const a = args as Record<string, string>;
      switch (cmd) {
        case "mail_recipients":
          return ["จังหวัดทดสอบ ข", "เทศบาลทดสอบ ค"].map((name): Recipient => ({ name, address: book[name] ?? null }));
        case "sendings":
          return [];
        case "add_address":
          book = { ...book, [a.name]: a.address };
          return [];
        case "send_letter":
          return {
            sendings: Object.entries(book).map(([n, ad]) => sent(n, ad)),
            waiting_because: null,
          } satisfies SendReport;
        case "fetched_mail":
        case "outbox":
          return [];
        default:
          return null;
      }
    });
    const notes: string[] = [];
    render(SendDialog, {
      props: {
        id: 7,
        number: "ทส ๐๐๐๑/ว ๑",
        subject: "ทดสอบ",
        notify: (t: string) => notes.push(t),
        onclose: () => {},
      },
    });
    const send = await screen.findByTestId("send-confirm");
    await vi.waitFor(() => expect(send.textContent).toContain("ขาดที่อยู่ ๑ ราย"));
    expect((send as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId("send-recipients").textContent).toContain("ยังไม่มีที่อยู่ในสมุดที่อยู่");
    await fireEvent.input(screen.getByTestId("missing-address"), { target: { value: "saraban@c.go.th" } });
    await fireEvent.click(screen.getByText("บันทึก"));
    await vi.waitFor(() => expect((send as HTMLButtonElement).disabled).toBe(false));
    expect(calls).not.toContain("send_letter");
    await fireEvent.click(send);
    await vi.waitFor(() => expect(notes).toContain("ส่งแล้ว ๒ ราย"));
    const statuses = screen.getAllByTestId("send-status").map((s) => s.textContent);
    expect(statuses).toEqual(["ส่งแล้ว", "ส่งแล้ว"]);
    clearMocks();
  });
});
