import { describe, expect, it } from "vitest";
import { Latest } from "../lib/latest";

/** A request the test answers when it wants. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
const settle = () => new Promise((r) => setTimeout(r, 0));

describe("Latest: search as you type", () => {
  it("runs the first request at once and delivers its result", async () => {
    const got: string[] = [];
    const latest = new Latest<string>(
      (v) => got.push(v),
      () => {},
    );
    const a = deferred<string>();
    let started = 0;
    latest.ask(() => (started++, a.promise));
    expect(started).toBe(1);
    a.resolve("ก");
    await settle();
    expect(got).toEqual(["ก"]);
  });

  it("runs one at a time, only the newest of those asked meanwhile, and never an old result", async () => {
    const got: string[] = [];
    const latest = new Latest<string>(
      (v) => got.push(v),
      () => {},
    );
    const runs: string[] = [];
    const answers = new Map<string, ReturnType<typeof deferred<string>>>();
    const ask = (q: string) => {
      const d = deferred<string>();
      answers.set(q, d);
      latest.ask(() => (runs.push(q), d.promise));
    };
    ask("ผ");
    ask("ผู");
    ask("ผู้");
    expect(runs).toEqual(["ผ"]); // the others wait; the newest replaced the one between
    answers.get("ผ")!.resolve("result ผ");
    await settle();
    expect(got).toEqual([]); // newer ones were asked: not shown
    expect(runs).toEqual(["ผ", "ผู้"]);
    answers.get("ผู้")!.resolve("result ผู้");
    await settle();
    expect(got).toEqual(["result ผู้"]);
  });

  it("reports the newest request's failure, and goes on after it", async () => {
    const got: string[] = [];
    const errors: unknown[] = [];
    const latest = new Latest<string>(
      (v) => got.push(v),
      (e) => errors.push(e),
    );
    latest.ask(() => Promise.reject(new Error("ทะเบียนไม่ตอบ")));
    await settle();
    expect(errors).toHaveLength(1);
    latest.ask(() => Promise.resolve("ok"));
    await settle();
    expect(got).toEqual(["ok"]);
  });
});
