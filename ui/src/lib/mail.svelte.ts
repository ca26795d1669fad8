// The saraban@ mailbox in the app: what was fetched and waits for the clerk, what waits
// in the outbox, and the fetch that runs on start, every few minutes and on demand (each
// fetch also tries the outbox again: a letter queued while the server was away goes as
// soon as it is back). The calls are injected, so the class is tested without the app.
import type { FetchReport, MailIn, MailState, SendReport, Sending, SendingStatus } from "./bindings";
import { thaiDigits } from "./thai";

/** What the mailbox needs from the Rust side. */
export interface MailCalls {
  fetchMail(): Promise<FetchReport>;
  fetchedMail(): Promise<MailIn[]>;
  outbox(): Promise<Sending[]>;
  sendOutbox(): Promise<SendReport>;
  dismissMail(id: number): Promise<MailIn[]>;
}

export const SENDING_STATUS: Record<SendingStatus, string> = {
  sent: "ส่งแล้ว",
  queued: "รอส่ง (อยู่ในกล่องขาออก)",
  failed: "ส่งไม่สำเร็จ",
};

export const MAIL_STATE: Record<MailState, string> = {
  new: "รอลงรับ",
  received: "ลงรับแล้ว",
  no_letter: "ไม่มีหนังสือแนบ",
  dismissed: "ละแล้ว",
  refused: "ไม่รับ",
  acknowledgment: "แจ้งเลขรับกลับ",
};

/** A send's result in one Thai line. */
export function sendSummary(r: SendReport): string {
  const n = (s: SendingStatus) => r.sendings.filter((x) => x.status === s).length;
  const parts = [`ส่งแล้ว ${thaiDigits(n("sent"))} ราย`];
  if (n("queued")) parts.push(`รอส่ง ${thaiDigits(n("queued"))} ราย (จะส่งเองเมื่อเซิร์ฟเวอร์กลับมา)`);
  if (n("failed")) parts.push(`ไม่สำเร็จ ${thaiDigits(n("failed"))} ราย`);
  return parts.join(" · ");
}

/** What a fetch that found nothing says. */
export const NOTHING_NEW = "ไม่มีอีเมลใหม่";

/** A fetch's result in one Thai line. */
export function fetchSummary(r: FetchReport): string {
  const letters = r.taken.filter((m) => m.state === "new").length;
  const acks = r.taken.filter((m) => m.state === "acknowledgment").length;
  if (r.taken.length === 0) return NOTHING_NEW;
  const parts = [`อีเมลใหม่ ${thaiDigits(r.taken.length)} ฉบับ`];
  if (letters) parts.push(`มีหนังสือรอลงรับ ${thaiDigits(letters)}`);
  if (acks) parts.push(`แจ้งเลขรับกลับ ${thaiDigits(acks)}`);
  return parts.join(" · ");
}

/** Who sent it, as the list shows it. */
export function senderOf(m: MailIn): string {
  return m.from_name ? `${m.from_name} <${m.from_address}>` : m.from_address;
}

export class MailBox {
  fetched = $state<MailIn[]>([]);
  outbox = $state<Sending[]>([]);
  busy = $state(false);
  /** The last problem (server away, password), in Thai; cleared by a good fetch. */
  problem = $state<string | null>(null);
  /** When the last fetch ended, ISO. */
  lastFetch = $state<string | null>(null);
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private calls: MailCalls,
    private messageOf: (e: unknown) => string,
  ) {}

  /** How many fetched messages wait for the clerk. */
  get waiting(): number {
    return this.fetched.length;
  }

  /** Reads the lists again from the register. */
  async refresh() {
    try {
      [this.fetched, this.outbox] = await Promise.all([this.calls.fetchedMail(), this.calls.outbox()]);
    } catch (e) {
      this.problem = this.messageOf(e);
    }
  }

  /** Fetches new mail, then tries the outbox; answers the fetch's summary, or null. */
  async fetch(now: () => string = () => new Date().toISOString()): Promise<string | null> {
    if (this.busy) return null;
    this.busy = true;
    try {
      const r = await this.calls.fetchMail();
      this.problem = null;
      if (this.outbox.length > 0) await this.calls.sendOutbox();
      this.lastFetch = now();
      return fetchSummary(r);
    } catch (e) {
      this.problem = this.messageOf(e);
      return null;
    } finally {
      await this.refresh();
      this.busy = false;
    }
  }

  /** Sends what waits in the outbox now. */
  async sendOutbox(): Promise<string | null> {
    try {
      const r = await this.calls.sendOutbox();
      this.problem = r.waiting_because;
      return sendSummary(r);
    } catch (e) {
      this.problem = this.messageOf(e);
      return null;
    } finally {
      await this.refresh();
    }
  }

  async dismiss(id: number) {
    try {
      this.fetched = await this.calls.dismissMail(id);
    } catch (e) {
      this.problem = this.messageOf(e);
    }
  }

  /** Fetches now and every `minutes` (0: only now); `onFetched` hears of new mail only. */
  start(minutes: number, onFetched: (summary: string) => void = () => {}) {
    this.stop();
    const told = (s: string | null) => {
      if (s && s !== NOTHING_NEW) onFetched(s);
    };
    void this.fetch().then(told);
    if (minutes > 0) {
      this.timer = setInterval(() => void this.fetch().then(told), minutes * 60_000);
    }
  }

  stop() {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
