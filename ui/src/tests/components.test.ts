import { describe, expect, it, vi } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import Settings from "../views/Settings.svelte";
import RegisterProblem from "../views/RegisterProblem.svelte";
import type { OfficeSetup } from "../lib/bindings";
import { fireEvent, render, screen } from "@testing-library/svelte";
import { tick } from "svelte";
import ListHost from "./ListHost.svelte";
import DateHost from "./DateHost.svelte";
import FormHost from "./FormHost.svelte";
import ModalHost from "./ModalHost.svelte";
import { normalize, oneLine } from "../lib/letter";
import { oneAtATime } from "../lib/serial";
import RegisterTable from "../lib/components/RegisterTable.svelte";
import type { Hit, Letter } from "../lib/bindings";
import {
  bookProgressText,
  carriedDateNote,
  formatThaiDate,
  readYear,
  thaiDigits,
  toIso,
  todayBangkok,
} from "../lib/thai";

const json = () => JSON.parse(screen.getByTestId("json").textContent!);

describe("ListEditor", () => {
  it("adds, edits, reorders and removes items", async () => {
    render(ListHost, { items: ["หนึ่ง", "สอง"] });
    await fireEvent.click(screen.getByText("+ เพิ่มรายการ"));
    expect(json()).toEqual(["หนึ่ง", "สอง", "ใหม่"]);
    await fireEvent.input(screen.getByLabelText("ช่อง 3"), { target: { value: "สาม" } });
    expect(json()).toEqual(["หนึ่ง", "สอง", "สาม"]);
    await fireEvent.click(screen.getByLabelText("เลื่อนรายการที่ 3 ขึ้น"));
    expect(json()).toEqual(["หนึ่ง", "สาม", "สอง"]);
    await fireEvent.click(screen.getByLabelText("เลื่อนรายการที่ 1 ลง"));
    expect(json()).toEqual(["สาม", "หนึ่ง", "สอง"]);
    await fireEvent.click(screen.getByLabelText("ลบรายการที่ 2"));
    expect(json()).toEqual(["สาม", "สอง"]);
  });

  it("cannot move the first item up or the last down", () => {
    render(ListHost, { items: ["ก", "ข"] });
    expect((screen.getByLabelText("เลื่อนรายการที่ 1 ขึ้น") as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByLabelText("เลื่อนรายการที่ 2 ลง") as HTMLButtonElement).disabled).toBe(true);
  });
});

describe("DatePicker", () => {
  it("shows a Buddhist-Era date with Thai month names and Thai digits, and writes ISO", async () => {
    render(DateHost, { value: "2026-12-02" });
    const year = screen.getByLabelText("ปี พ.ศ.") as HTMLInputElement;
    expect(year.value).toBe("๒๕๖๙");
    const month = screen.getByLabelText("เดือน") as HTMLSelectElement;
    expect(month.selectedOptions[0].textContent).toBe("ธันวาคม");
    await fireEvent.change(month, { target: { value: "2" } });
    expect(screen.getByTestId("value").textContent).toBe("2026-02-02");
    await fireEvent.change(screen.getByLabelText("วันที่"), { target: { value: "" } });
    expect(screen.getByTestId("value").textContent).toBe("2026-02");
    await fireEvent.input(year, { target: { value: "๒๕๖๘" } });
    expect(screen.getByTestId("value").textContent).toBe("2025-02");
  });

  it("clamps the day to the month and refuses a CE year typed as BE", async () => {
    render(DateHost, { value: "2024-01-31" });
    await fireEvent.change(screen.getByLabelText("เดือน"), { target: { value: "2" } });
    expect(screen.getByTestId("value").textContent).toBe("2024-02-29");
    await fireEvent.input(screen.getByLabelText("ปี พ.ศ."), { target: { value: "2024" } });
    expect(screen.getByTestId("value").textContent).toBe("2024-02-29");
  });

  it("offers a Christian-Era year as Buddhist Era, and says what it cannot use", async () => {
    render(DateHost, { value: "2026-12-05" });
    const year = screen.getByLabelText("ปี พ.ศ.") as HTMLInputElement;
    await fireEvent.input(year, { target: { value: "2026" } });
    expect(screen.getByTestId("year-ce").textContent).toContain("ค.ศ.");
    expect(screen.getByTestId("value").textContent).toBe("2026-12-05");
    await fireEvent.click(screen.getByTestId("year-as-be"));
    expect(screen.getByTestId("value").textContent).toBe("2026-12-05");
    expect(year.value).toBe("๒๕๖๙");
    await fireEvent.input(year, { target: { value: "3000" } });
    expect(screen.getByTestId("year-problem").textContent).toContain("ไม่ใช่ปี พ.ศ.");
  });

  it("never picks a month on its own when a year comes first", async () => {
    render(DateHost, { value: undefined });
    await fireEvent.input(screen.getByLabelText("ปี พ.ศ."), { target: { value: "๒๕๗๑" } });
    expect(screen.getByTestId("value").textContent).toBe("");
    expect(screen.getByTestId("month-needed")).toBeTruthy();
    await fireEvent.change(screen.getByLabelText("เดือน"), { target: { value: "3" } });
    expect(screen.getByTestId("value").textContent).toBe("2028-03");
  });

  it("says when the date a letter will carry is not the one typed", () => {
    expect(carriedDateNote("2026-12-05", "2026-12-05")).toBeNull();
    expect(carriedDateNote("2026-12", "2026-12-05")).toBeNull();
    expect(carriedDateNote("2028-03", "2026-12-05")).toBe(
      "วันที่ที่พิมพ์ไว้คือ มีนาคม ๒๕๗๑ แต่หนังสือจะลงวันที่ ๕ ธันวาคม ๒๕๖๙ (วันที่ออกเลข)",
    );
    expect(carriedDateNote(null, "2026-12-05")).toContain("ยังไม่ได้ลงวันที่");
    expect(readYear("25")).toBeNull();
    expect(readYear("๒๕๖๙")).toEqual({ be: 2569 });
    expect(readYear("2026")).toEqual({ ce: 2026, be: 2569 });
  });

  it("knows today in Bangkok, not UTC", () => {
    // 20:00 UTC on 1 Dec is 03:00 on 2 Dec in Bangkok.
    expect(todayBangkok(new Date("2026-12-01T20:00:00Z"))).toBe("2026-12-02");
    expect(formatThaiDate("2026-12-02")).toBe("๒ ธันวาคม ๒๕๖๙");
    expect(formatThaiDate("2026-12")).toBe("ธันวาคม ๒๕๖๙");
    expect(toIso(2569, 5, null)).toBe("2026-05");
    expect(thaiDigits("P4G 2021")).toBe("P๔G ๒๐๒๑");
  });

  it("tells the page and the share of the register book done", () => {
    expect(bookProgressText({ rows: 12_345, total: 50_000, pages: 1131 })).toBe(
      "กำลังพิมพ์สมุดทะเบียน… หน้า ๑๑๓๑ · หนังสือ ๑๒,๓๔๕/๕๐,๐๐๐ ฉบับ (๒๔%)",
    );
    // An empty year prints one page and is done.
    expect(bookProgressText({ rows: 0, total: 0, pages: 1 })).toContain("(๑๐๐%)");
  });
});

function hit(i: number): Hit {
  return {
    id: i + 1,
    status: i % 10 === 0 ? "cancelled" : "issued",
    kind: "external",
    number: `มท ๐๘๑๐.๒/ว ${thaiDigits(50_000 - i)}`,
    running: 50_000 - i,
    year_be: 2569,
    date: "2026-12-02",
    subject: `เรื่องที่ ${i}`,
    recipient: "ผู้ว่าราชการจังหวัดทุกจังหวัด",
    from: "กรมส่งเสริมการปกครองท้องถิ่น",
    note: i % 10 === 0 ? "ยกเลิก: พิมพ์ผิด" : "",
    sha256: "",
    snippet: "",
  };
}

describe("RegisterTable", () => {
  it("renders only the rows in view of fifty thousand and fetches page by page", async () => {
    const asked: number[] = [];
    const fetchPage = async (offset: number, limit: number) => {
      asked.push(offset);
      return Array.from({ length: Math.min(limit, 50_000 - offset) }, (_, k) => hit(offset + k));
    };
    const { container } = render(RegisterTable, {
      total: 50_000,
      fetchPage,
      onopen: () => {},
      oncancel: () => {},
    });
    await new Promise((r) => setTimeout(r, 0));
    await tick();
    const rows = container.querySelectorAll(".row");
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(100);
    expect(asked).toEqual([0]);
    expect(container.textContent).toContain("มท ๐๘๑๐.๒/ว ๕๐๐๐๐");
    expect(container.textContent).toContain("เลขทะเบียนส่ง");
    // Scroll far down: a new page is fetched, rows far above are gone.
    const body = screen.getByTestId("register-rows");
    body.scrollTop = 50 * 30_000; // rows of 50 px
    await fireEvent.scroll(body);
    await new Promise((r) => setTimeout(r, 0));
    await tick();
    expect(asked).toContain(29_900);
    expect(container.textContent).toContain("เรื่องที่ 30000");
    expect(container.querySelector('[data-id="1"]')).toBeNull();
    expect(container.querySelectorAll(".row").length).toBeLessThan(100);
  });

  it("marks cancelled letters and offers no second cancellation", async () => {
    const { container } = render(RegisterTable, {
      total: 3,
      fetchPage: async () => [hit(0), hit(1), hit(2)],
      onopen: () => {},
      oncancel: () => {},
    });
    await new Promise((r) => setTimeout(r, 0));
    await tick();
    const first = container.querySelector('[data-id="1"]')!;
    expect(first.classList.contains("cancelled")).toBe(true);
    expect(first.textContent).toContain("ยกเลิก: พิมพ์ผิด");
    expect(first.querySelector("button.danger")).toBeNull();
    expect(container.querySelector('[data-id="2"] button.danger')).not.toBeNull();
  });
});

describe("Settings: the register", () => {
  const setupOn = (register: string): OfficeSetup => ({
    profile: { agency: "กรมส่งเสริมการปกครองท้องถิ่น", address: [], units: [], owners: [], signers: [] },
    emblem: null,
    font: null,
    configured: true,
    register,
    problem: null,
    installed_fonts: [],
  });

  it("switches to the office's server register, the password sent apart and never shown", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "use_register") return setupOn("postgres://clerk@db.office/saraban");
    });
    const notes: string[] = [];
    let switched = 0;
    render(Settings, {
      props: {
        setup: setupOn("/home/clerk/.local/share/saraban/register.sqlite"),
        notify: (t: string) => notes.push(t),
        onregister: () => switched++,
      },
    });
    // Opened by the clerk, the form stays open while it is filled in.
    const details = document.querySelector("details.register-switch") as HTMLDetailsElement;
    details.open = true;
    await fireEvent.input(screen.getByTestId("register-input"), {
      target: { value: "postgres://clerk@db.office/saraban" },
    });
    await fireEvent.input(screen.getByTestId("register-password"), { target: { value: "s3cret" } });
    await tick();
    expect(details.open).toBe(true);
    await fireEvent.click(screen.getByTestId("use-register"));
    await vi.waitFor(() => expect(switched).toBe(1));
    expect(calls.find((c) => c.cmd === "use_register")?.args).toEqual({
      location: "postgres://clerk@db.office/saraban",
      password: "s3cret",
    });
    expect(screen.getByTestId("register-location").textContent).toBe("postgres://clerk@db.office/saraban");
    expect(document.body.textContent).not.toContain("s3cret");
    expect(notes).toContain("ใช้ทะเบียน postgres://clerk@db.office/saraban แล้ว");
    clearMocks();
  });

  it("keeps the register in use and says why when the server does not answer", async () => {
    const away = "ติดต่อเซิร์ฟเวอร์ทะเบียน postgres://clerk@db.office/saraban ไม่ได้ (เซิร์ฟเวอร์ปิดอยู่หรือเครือข่ายขัดข้อง)";
    mockIPC((cmd) => {
      if (cmd === "use_register") throw { message: away, problems: [] };
    });
    const notes: [string, string | undefined][] = [];
    let switched = 0;
    render(Settings, {
      props: {
        setup: setupOn("register.sqlite"),
        notify: (t: string, k?: string) => notes.push([t, k]),
        onregister: () => switched++,
      },
    });
    await fireEvent.input(screen.getByTestId("register-input"), {
      target: { value: "postgres://clerk@db.office/saraban" },
    });
    await fireEvent.click(screen.getByTestId("use-register"));
    await vi.waitFor(() => expect(notes.length).toBe(1));
    expect(notes[0]).toEqual([away, "error"]);
    expect(switched).toBe(0);
    expect(screen.getByTestId("register-location").textContent).toBe("register.sqlite");
    expect((screen.getByTestId("register-input") as HTMLInputElement).value).toBe("postgres://clerk@db.office/saraban");
    clearMocks();
  });

  it("offers TH SarabunIT๙ installed on this computer, by name, and uses it", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "use_installed_font")
        return {
          ...setupOn("register.sqlite"),
          font: "THSarabunIT๙.ttf",
          installed_fonts: ["THSarabunIT๙", "THSarabunNew"],
        };
    });
    const notes: string[] = [];
    render(Settings, {
      props: {
        setup: { ...setupOn("register.sqlite"), installed_fonts: ["THSarabunIT๙", "THSarabunNew"] },
        notify: (t: string) => notes.push(t),
        onregister: () => {},
      },
    });
    const offer = document.querySelector('[data-installed-font="THSarabunIT๙"]') as HTMLButtonElement;
    expect(offer.textContent).toContain("ใช้ THSarabunIT๙ ที่ติดตั้งในเครื่องนี้");
    await fireEvent.click(offer);
    await vi.waitFor(() => expect(notes).toContain("ใช้ฟอนต์ THSarabunIT๙ ที่ติดตั้งในเครื่องนี้แล้ว"));
    expect(calls.find((c) => c.cmd === "use_installed_font")?.args).toEqual({ name: "THSarabunIT๙" });
    // The font in use is no longer offered; the other still is.
    await tick();
    expect(document.querySelector('[data-installed-font="THSarabunIT๙"]')).toBeNull();
    expect(document.querySelector('[data-installed-font="THSarabunNew"]')).not.toBeNull();
    clearMocks();
  });

  it("chooses a register file in the system's dialog, never from a typed path", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "pick_register_file") return setupOn("/home/clerk/อบต/ทะเบียน.sqlite");
    });
    let switched = 0;
    render(Settings, {
      props: { setup: setupOn("register.sqlite"), notify: () => {}, onregister: () => switched++ },
    });
    // The typed field is for a server's address only.
    expect((screen.getByTestId("register-input") as HTMLInputElement).placeholder).toContain("postgres://");
    await fireEvent.click(screen.getByTestId("pick-register"));
    await vi.waitFor(() => expect(switched).toBe(1));
    expect(calls.find((c) => c.cmd === "pick_register_file")?.args).toEqual({ create: false });
    await fireEvent.click(screen.getByTestId("new-register"));
    await vi.waitFor(() => expect(switched).toBe(2));
    expect(calls.filter((c) => c.cmd === "pick_register_file").map((c) => c.args)).toEqual([
      { create: false },
      { create: true },
    ]);
    expect(calls.some((c) => c.cmd === "use_register")).toBe(false);
    clearMocks();
  });

  it("says in one line why the register did not open, and opens it once the server is back", async () => {
    const away = "ติดต่อเซิร์ฟเวอร์ทะเบียน postgres://clerk@db.office/saraban ไม่ได้ (เซิร์ฟเวอร์ปิดอยู่หรือเครือข่ายขัดข้อง)";
    let back = false;
    mockIPC((cmd) => {
      if (cmd === "reopen_register") {
        if (!back) throw { message: away, problems: [] };
        return setupOn("postgres://clerk@db.office/saraban");
      }
    });
    const notes: [string, string | undefined][] = [];
    let opened: OfficeSetup | null = null;
    render(RegisterProblem, {
      props: {
        setup: { ...setupOn("postgres://clerk@db.office/saraban"), configured: false, problem: away },
        notify: (t: string, k?: string) => notes.push([t, k]),
        onopened: (s: OfficeSetup) => (opened = s),
      },
    });
    expect(screen.getByTestId("register-problem").textContent).toContain(away);
    // Another register can be chosen at once.
    expect(screen.getByTestId("register-input")).toBeTruthy();
    await fireEvent.click(screen.getByTestId("retry-register"));
    await vi.waitFor(() => expect(notes.length).toBe(1));
    expect(notes[0]).toEqual([away, "error"]);
    expect(opened).toBeNull();
    back = true;
    await fireEvent.click(screen.getByTestId("retry-register"));
    await vi.waitFor(() => expect(opened).not.toBeNull());
    expect(opened!.register).toBe("postgres://clerk@db.office/saraban");
    expect(notes[1]).toEqual(["เปิดทะเบียน postgres://clerk@db.office/saraban แล้ว", undefined]);
    clearMocks();
  });
});

describe("LetterForm", () => {
  it("leaves an untouched new letter as it is, so that no empty draft is autosaved", async () => {
    for (const kind of ["external", "memo", "stamped", "order", "announcement"] as const) {
      const letter = normalize({
        kind,
        number: { prefix: "มท ๐๘๑๐.๒" },
        agency: { name: "กรมส่งเสริมการปกครองท้องถิ่น", address: [] },
        body: [],
      } as unknown as Letter);
      const before = JSON.stringify(letter);
      const { unmount } = render(FormHost, { letter });
      await tick();
      await new Promise((r) => setTimeout(r, 20));
      expect(screen.getByTestId("json").textContent).toBe(before);
      unmount();
    }
  });
});

describe("changing a letter's kind", () => {
  it("keeps the letter first, then takes the core's letter of the new kind and says what went", async () => {
    const order: string[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "change_kind") {
        order.push("change");
        const a = args as { letter: Letter; kind: string };
        return { letter: { ...a.letter, kind: a.kind, owner: null }, dropped: ["ส่วนราชการเจ้าของเรื่อง (โทร. อีเมล)"] };
      }
      if (cmd === "courtesy") return { salutation: "เรียน", closing: "ขอแสดงความนับถือ" };
      return null;
    });
    const letter = normalize({
      kind: "external",
      agency: { name: "กรมส่งเสริมการปกครองท้องถิ่น", address: [] },
      owner: { department: "กองพัฒนา", phone: "๐ ๒๒๔๑ ๙๐๐๐" },
      body: ["ข้อความ"],
    } as unknown as Letter);
    let told: [string, string[]] | null = null;
    render(FormHost, {
      letter,
      beforeKindChange: async () => order.push("kept"),
      onkindchange: (k: string, d: string[]) => (told = [k, d]),
    });
    const select = screen.getByLabelText("ชนิด") as HTMLSelectElement;
    await fireEvent.change(select, { target: { value: "order" } });
    await vi.waitFor(() => expect(told).not.toBeNull());
    expect(order).toEqual(["kept", "change"]);
    expect(told![0]).toBe("order");
    expect(told![1]).toEqual(["ส่วนราชการเจ้าของเรื่อง (โทร. อีเมล)"]);
    const shown = json();
    expect(shown.kind).toBe("order");
    expect(shown.owner).toBeNull();
    clearMocks();
  });
});

describe("saving drafts one at a time", () => {
  it("sends each text once when saves are asked for while autosave is still saving", async () => {
    const saves = oneAtATime();
    const sent: string[] = [];
    let saved = "";
    let draftId: number | null = null;
    const letter = { subject: "ขอเชิญประชุม" };
    // As App.saveNow: decide what to send only when the save before has finished.
    const saveNow = () =>
      saves(async () => {
        const json = JSON.stringify(letter);
        if (json === saved) return draftId;
        await new Promise((r) => setTimeout(r, 30)); // the register takes its time
        sent.push(json);
        draftId = draftId ?? 7;
        saved = json;
        return draftId;
      });
    const autosave = saveNow();
    // The clerk types on while autosave saves, then the next tick of autosave and the button
    // both ask for a save: the new text is sent once, after the first save.
    await new Promise((r) => setTimeout(r, 10));
    letter.subject = "ขอเชิญประชุมคณะกรรมการ";
    const next = saveNow();
    const button = saveNow();
    expect(await Promise.all([autosave, next, button])).toEqual([7, 7, 7]);
    expect(sent.map((j) => JSON.parse(j).subject)).toEqual(["ขอเชิญประชุม", "ขอเชิญประชุมคณะกรรมการ"]);
  });

  it("keeps going after a save that failed", async () => {
    const saves = oneAtATime();
    const failed = saves(async () => {
      throw new Error("ติดต่อไม่ได้");
    });
    const next = saves(async () => "บันทึกแล้ว");
    await expect(failed).rejects.toThrow("ติดต่อไม่ได้");
    expect(await next).toBe("บันทึกแล้ว");
  });
});

describe("Modal", () => {
  it("is the platform's dialog: focus moves in, Escape closes it, focus goes back", async () => {
    render(ModalHost);
    const opener = screen.getByTestId("opener");
    opener.focus();
    await fireEvent.click(opener);
    await tick();
    const dialog = screen.getByTestId("host-modal");
    expect(dialog.tagName).toBe("DIALOG");
    expect(dialog.hasAttribute("open")).toBe(true);
    expect(dialog.getAttribute("aria-label")).toBe("ยืนยัน");
    expect(document.activeElement).toBe(screen.getByTestId("reason"));
    // Escape makes the dialog send "cancel".
    await fireEvent(dialog, new Event("cancel", { cancelable: true }));
    await tick();
    expect(screen.queryByTestId("host-modal")).toBeNull();
    expect(screen.getByTestId("closed").textContent).toBe("1");
    expect(document.activeElement).toBe(opener);
  });
});

describe("oneLine", () => {
  it("takes a reason typed over several lines as one line, not as an error", () => {
    expect(oneLine("ส่งซ้ำ\nกับฉบับก่อน\r\n\tแก้ไขแล้ว ")).toBe("ส่งซ้ำ กับฉบับก่อน แก้ไขแล้ว");
  });
});
