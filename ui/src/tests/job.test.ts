// The background job (lib/job.svelte.ts): one at a time, its progress shown, and cleared
// however it ends.
import { describe, expect, it } from "vitest";
import { BackgroundJob } from "../lib/job.svelte";

describe("BackgroundJob", () => {
  it("shows its progress, refuses a second job meanwhile, and clears when done", async () => {
    const job = new BackgroundJob();
    let finish!: (v: string) => void;
    let report!: (text: string, done?: number) => void;
    const first = job.run("กำลังพิมพ์สมุดทะเบียน…", (progress) => {
      report = progress;
      return new Promise<string>((r) => (finish = r));
    });
    expect(job.running).toBe(true);
    expect(job.text).toBe("กำลังพิมพ์สมุดทะเบียน…");
    report("หน้า ๑๒", 0.25);
    expect(job.text).toBe("หน้า ๑๒");
    expect(job.done).toBe(0.25);
    expect(await job.run("ส่งออก", async () => "ไม่ควรเกิด")).toBeUndefined();
    finish("/tmp/สมุด.pdf");
    expect(await first).toBe("/tmp/สมุด.pdf");
    expect(job.running).toBe(false);
    expect(job.done).toBeNull();
  });

  it("clears after a failure, which its caller sees", async () => {
    const job = new BackgroundJob();
    await expect(
      job.run("ส่งออก", async () => {
        throw new Error("ดิสก์เต็ม");
      }),
    ).rejects.toThrow("ดิสก์เต็ม");
    expect(job.running).toBe(false);
    expect(job.text).toBeNull();
  });
});
