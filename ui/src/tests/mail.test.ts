// The mailbox in the app (lib/mail.svelte.ts): a fetch tries the outbox again, a server
// away is said and the lists still refresh, one fetch at a time, and the summaries a clerk
// reads.
import { describe, expect, it } from "vitest";
import { MailBox, fetchSummary, senderOf, sendSummary, type MailCalls } from "../lib/mail.svelte";
import type { MailIn, Sending } from "../lib/bindings";

const mail = (over: Partial<MailIn> = {}): MailIn => ({
  id: 1,
  uid: 1,
  message_id: "m1@a.go.th",
  from_address: "saraban@a.go.th",
  from_name: "กรมทดสอบ",
  subject: "ขอเชิญประชุม",
  sent_at: null,
  fetched_at: "2026-12-05T10:00:00+07:00",
  eml_sha256: "",
  size: 1000,
  letters: 1,
  state: "new",
  problem: null,
  receipt_id: null,
  ...over,
});

const sending = (over: Partial<Sending> = {}): Sending => ({
  id: 1,
  kind: "letter",
  letter_id: 3,
  receipt_id: null,
  name: "จังหวัดทดสอบ",
  address: "saraban@b.go.th",
  message_id: "x@a.go.th",
  eml_sha256: "",
  size: 1,
  status: "queued",
  queued_at: "",
  queued_by: "",
  attempts: 0,
  sent_at: null,
  answer: null,
  acknowledged: null,
  ...over,
});

function fake(over: Partial<MailCalls> = {}) {
  const log: string[] = [];
  let queued = [sending()];
  const calls: MailCalls = {
    fetchMail: async () => {
      log.push("fetch");
      return { taken: [mail(), mail({ id: 2, state: "acknowledgment" })], duplicates: 0 };
    },
    fetchedMail: async () => [mail()],
    outbox: async () => queued,
    sendOutbox: async () => {
      log.push("outbox");
      const sent = queued.map((s) => ({ ...s, status: "sent" as const }));
      queued = [];
      return { sendings: sent, waiting_because: null };
    },
    dismissMail: async () => [],
    ...over,
  };
  return { calls, log };
}

describe("MailBox", () => {
  it("fetches, then sends what waited in the outbox, and lists what is left", async () => {
    const { calls, log } = fake();
    const box = new MailBox(calls, String);
    await box.refresh();
    expect(box.outbox).toHaveLength(1);
    const s = await box.fetch(() => "2026-12-05T10:00:00Z");
    expect(log).toEqual(["fetch", "outbox"]);
    expect(s).toBe("อีเมลใหม่ ๒ ฉบับ · มีหนังสือรอลงรับ ๑ · แจ้งเลขรับกลับ ๑");
    expect(box.outbox).toHaveLength(0);
    expect(box.waiting).toBe(1);
    expect(box.lastFetch).toBe("2026-12-05T10:00:00Z");
    expect(box.busy).toBe(false);
  });

  it("says a server away, keeps the lists, and fetches one at a time", async () => {
    let release!: () => void;
    const { calls } = fake({
      fetchMail: () =>
        new Promise((_, reject) => {
          release = () => reject({ message: "ติดต่อเซิร์ฟเวอร์อีเมลไม่ได้" });
        }),
    });
    const box = new MailBox(calls, (e) => (e as { message: string }).message);
    const first = box.fetch();
    expect(box.busy).toBe(true);
    expect(await box.fetch()).toBeNull();
    release();
    expect(await first).toBeNull();
    expect(box.problem).toBe("ติดต่อเซิร์ฟเวอร์อีเมลไม่ได้");
    expect(box.fetched).toHaveLength(1);
    expect(box.busy).toBe(false);
  });

  it("summarises sends and names senders as the list shows them", () => {
    expect(
      sendSummary({
        sendings: [sending({ status: "sent" }), sending({ status: "queued" }), sending({ status: "failed" })],
        waiting_because: null,
      }),
    ).toBe("ส่งแล้ว ๑ ราย · รอส่ง ๑ ราย (จะส่งเองเมื่อเซิร์ฟเวอร์กลับมา) · ไม่สำเร็จ ๑ ราย");
    expect(fetchSummary({ taken: [], duplicates: 2 })).toBe("ไม่มีอีเมลใหม่");
    expect(senderOf(mail())).toBe("กรมทดสอบ <saraban@a.go.th>");
    expect(senderOf(mail({ from_name: "" }))).toBe("saraban@a.go.th");
  });
});
