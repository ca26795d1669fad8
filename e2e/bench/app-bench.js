// make app-bench: the desktop app's own figures, measured on the release build under Xvfb.
//  1. cold start to an interactive editor (process start → the editor's first frames),
//     median of 7 starts, each a new process on a configured register;
//  2. typing at the end of a 1-, 3- and 5-page letter (the last page in view): keystroke to
//     the new preview page on screen, median and p90 of 25 keystrokes each (typed through
//     WebDriver, timed in the page); how many pages each keystroke redrew; and how long
//     each keystroke waited to be painted in its field (its event to the next frame);
//  3. memory after composing: PSS summed over the app and its WebKit processes.
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";
import { quantile, startApp, until, writeProfile } from "./common.js";

// Ports of our own for tauri-driver and WebKitWebDriver, so that no other run's driver on
// this machine is ever talked to.
const PORT = 20000 + (process.pid % 20000);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const APP = process.env.SARABAN_APP ?? path.join(root, "target/release/saraban-app");
const CLI = process.env.SARABAN_CLI ?? path.join(root, "target/release/saraban");
const appRunning = () => {
  try {
    execFileSync("pgrep", ["-f", APP]);
    return true;
  } catch {
    return false;
  }
};
// The preview has drawn its newest document whole (every page, the old one gone).
const settled = () =>
  browser.execute(() => {
    const h = document.querySelector("[data-testid=preview-pages]");
    return !!h && h.dataset.generation !== undefined && h.dataset.settled === h.dataset.generation;
  });
const median = (xs) => quantile(xs, 0.5);
const p90 = (xs) => quantile(xs, 0.9);

const work = fs.mkdtempSync(path.join(os.tmpdir(), "saraban-bench-"));
const home = path.join(work, "home");
const dialogs = path.join(work, "dialogs");
fs.mkdirSync(home, { recursive: true });
fs.mkdirSync(dialogs, { recursive: true });
const DB = path.join(home, "register.sqlite");
const env = { ...process.env, HOME: home, SARABAN_DB: DB, SARABAN_TEST_DIALOGS: dialogs, SARABAN_BENCH: "1" };

// A configured office, so that the app opens on the editor.
const letter = writeProfile(root, path.join(work, "profile.json"));
execFileSync(CLI, ["--db", DB, "init"], { env });
execFileSync(CLI, ["--db", DB, "profile", "set", path.join(work, "profile.json")], { env });
const emblem = ["../shared/assets/garuda.svg"].map((p) => path.join(root, p)).find((p) => fs.existsSync(p));
if (emblem) execFileSync(CLI, ["--db", DB, "profile", "emblem", emblem], { env });

// 1. Cold start (BENCH_KEYS_ONLY=1 leaves it out, for a quick look at typing).
const starts = [];
for (let i = 0; i < (process.env.BENCH_KEYS_ONLY ? 0 : 7); i++) {
  const t0 = performance.now();
  const child = spawn(APP, [], { env, stdio: ["ignore", "ignore", "pipe"] });
  const ms = await new Promise((resolve, reject) => {
    let err = "";
    const timer = setTimeout(() => reject(new Error(`no ready line: ${err}`)), 30000);
    child.stderr.on("data", (d) => {
      err += d;
      const m = /ready after (\d+) ms/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve({ inside: Number(m[1]), outside: performance.now() - t0 });
      }
    });
  });
  starts.push(ms);
  console.error(`start ${i + 1}: ${ms.inside} ms`);
  child.kill("SIGTERM");
  await new Promise((r) => child.on("exit", r));
  await until(() => !appRunning(), 10000); // its lock on the register released
}

// 2 and 3 through WebDriver.
console.error("keystrokes…");
// The driver, the app and its web processes in a process group of their own, killed whole.
const { browser, killGroup } = await startApp({ root, app: APP, env, port: PORT, remote });
const $ = (s) => browser.$(s);

function memory() {
  // Under a profiler (scripts/symbol-order.py runs the app under valgrind) the app's
  // process is the profiler's: its memory is not the app's.
  if (process.env.SARABAN_BENCH_PROFILED) return [];
  const appPid = execFileSync("pgrep", ["-n", "-f", APP], { encoding: "utf8" }).trim();
  return tree(appPid).map((pid) => {
    const rollup = fs.readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
    const name = fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim();
    return { pid, name, kb: Number(/Pss:\s+(\d+)/.exec(rollup)[1]) };
  });
}
const total = (m) => Math.round(m.reduce((a, p) => a + p.kb, 0) / 1024);

// Typing at the end of the letter's last paragraph, the last page in view: each keystroke
// timed from the key to its preview page on screen, with the pages it redrew and the wait
// to its own frame in the field.
async function keystrokes(n, paragraphs) {
  await browser.execute(() => {
    const s = document.querySelector(".preview .scroller");
    s.scrollTop = s.scrollHeight;
  });
  const last = await $(`[data-path="body[${paragraphs - 1}]"]`);
  await last.scrollIntoView();
  await last.click();
  await browser.keys(["Control", "End"]);
  await browser.execute(() => (window.__typedToFrame = []));
  if (process.env.BENCH_DETAIL)
    await browser.execute(() => {
      window.__detail = [];
      document.addEventListener("keydown", (e) => {
        const at = e.timeStamp;
        const handled = performance.now();
        setTimeout(() => {
          const task = performance.now();
          requestAnimationFrame(() => window.__detail.push(`key→handler ${Math.round(handled - at)} handler→task ${Math.round(task - handled)} task→frame ${Math.round(performance.now() - task)}`));
        }, 0);
      }, true);
    });
  const out = [];
  const redrawn = [];
  for (let i = 0; i < n + 3; i++) {
    const before = await browser.execute(() => document.querySelector("[data-testid=preview-pages]").dataset.generation ?? "0");
    await browser.keys(i % 2 ? ["Backspace"] : ["ก"]);
    await browser.waitUntil(
      async () =>
        (await browser.execute(() => document.querySelector("[data-testid=preview-pages]").dataset.generation ?? "0")) !== before,
      { timeout: 10000, interval: 5 },
    );
    await until(settled, 10000); // the other pages finish before the next keystroke
    const [ms, pages] = await browser.execute(() => {
      const h = document.querySelector("[data-testid=preview-pages]");
      return [Number(h.dataset.inputToShown), Number(h.dataset.redrawn)];
    });
    if (i >= 3) {
      out.push(ms); // the first ones warm the caches
      redrawn.push(pages);
    }
    if (process.env.BENCH_DETAIL) console.error(ms, pages, await browser.execute(() => { const h = document.querySelector("[data-testid=preview-pages]"); return `ipc ${h.dataset.ipc} ${h.dataset.timing}`; }));
  }
  const typed = (await browser.execute(() => window.__typedToFrame)).slice(3);
  if (process.env.BENCH_DETAIL) console.error((await browser.execute(() => window.__detail)).join("\n"));
  return { ms: out, redrawn, typed };
}

async function openLetter(l) {
  for (const f of fs.readdirSync(dialogs)) fs.rmSync(path.join(dialogs, f));
  fs.writeFileSync(path.join(dialogs, "letter.json"), JSON.stringify(l));
  const before = await browser.execute(() => document.querySelector("[data-testid=preview-pages]")?.dataset.generation ?? "0");
  await (await $('button[title="Ctrl+O"]')).click();
  await browser.waitUntil(async () => (await $("#f-subject").getValue()) === l.subject, { timeout: 10000 });
  await browser.waitUntil(async () => (await browser.$$("canvas.pdf-page:not(.pending)")).length >= 1, { timeout: 20000 });
  // This letter's preview, not the one before it, drawn whole.
  await until(async () =>
    (await settled()) &&
    (await browser.execute(() => document.querySelector("[data-testid=preview-pages]").dataset.generation)) !== before,
  );
  return browser.execute(() => document.querySelectorAll("canvas.pdf-page").length);
}

await $("#f-subject").waitForExist({ timeout: 20000 });
await until(settled); // the first preview drawn: the app at rest
const atStart = total(memory());
// The J.CLAIR circular (one page), and the same with its body repeated until it has three
// and five pages.
const typing = [];
let copies = 1;
for (const want of [1, 3, 5]) {
  let l = letter;
  let pages = copies === 1 ? await openLetter(l) : 0;
  while (pages < want) {
    copies++;
    l = { ...letter, subject: `${letter.subject} (${want} หน้า)`, body: Array.from({ length: copies }, () => letter.body).flat() };
    pages = await openLetter(l);
  }
  typing.push({ pages, ...(await keystrokes(25, l.body.length)) });
}

// 3. Memory: the app and every process under it (WebKitWebProcess, WebKitNetworkProcess).
function tree(pid) {
  const kids = (() => {
    try {
      return execFileSync("pgrep", ["-P", pid], { encoding: "utf8" }).trim().split("\n").filter(Boolean);
    } catch {
      return [];
    }
  })();
  return [pid, ...kids.flatMap(tree)];
}
await until(settled);
const pss = memory();
// BENCH_SMAPS=1: where each process's memory is (the largest mappings by PSS).
if (process.env.BENCH_SMAPS)
  for (const p of pss) {
    const by = new Map();
    let cur = "[anon]";
    for (const line of fs.readFileSync(`/proc/${p.pid}/smaps`, "utf8").split("\n")) {
      const m = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
      if (m) cur = m[1] || "[anon]";
      else if (line.startsWith("Pss:")) by.set(cur, (by.get(cur) ?? 0) + Number(line.split(/\s+/)[1]));
    }
    const top = [...by].sort((a, b) => b[1] - a[1]).slice(0, 8);
    console.error(`${p.name}: ${top.map(([k, v]) => `${path.basename(k)} ${Math.round(v / 1024)}`).join(", ")}`);
  }

await browser.deleteSession();
killGroup("SIGTERM");
await until(() => !appRunning(), 5000).catch(() => {});
killGroup("SIGKILL");

const r = (x) => Math.round(x);
if (starts.length) console.log(`cold start to interactive editor (7 starts): median ${r(median(starts.map((s) => s.inside)))} ms from process start (${r(median(starts.map((s) => s.outside)))} ms from spawn); min ${r(Math.min(...starts.map((s) => s.inside)))}, max ${r(Math.max(...starts.map((s) => s.inside)))}`);
for (const t of typing) {
  console.log(
    `${t.pages}-page letter, typing at its end: keystroke to preview page on screen median ${median(t.ms)} ms, p90 ${p90(t.ms)} ms (n=${t.ms.length}); ` +
      `pages redrawn per keystroke median ${median(t.redrawn)}, max ${Math.max(...t.redrawn)}; ` +
      `keystroke to its frame in the field median ${r(median(t.typed))} ms, p90 ${r(p90(t.typed))} ms, max ${r(Math.max(...t.typed))} ms`,
  );
}
console.log(`memory at start (PSS): ${atStart} MB`);
// One line for e2e/bench/runs.js, which runs this several times and compares two builds.
console.log(
  "BENCH " +
    JSON.stringify({
      start: starts.length ? median(starts.map((s) => s.inside)) : null,
      typing: typing.map((t) => ({ pages: t.pages, median: median(t.ms), p90: p90(t.ms) })),
      memoryStart: atStart,
      memory: r(pss.reduce((a, p) => a + p.kb, 0) / 1024),
    }),
);
console.log(`memory after composing (PSS): ${r(pss.reduce((a, p) => a + p.kb, 0) / 1024)} MB = ${pss.map((p) => `${p.name} ${r(p.kb / 1024)}`).join(" + ")}`);
fs.rmSync(work, { recursive: true, force: true });
process.exit(0);
