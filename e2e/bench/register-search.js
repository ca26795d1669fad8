// make app-bench (its last part): the register tab of the release app on a register of a
// million letters — search as you type, each keystroke to its result on screen.
//
// The register is SARABAN_BENCH_REGISTER; or the one `make bench` made for the server
// bench (target/bench-pg-source-1000000.sqlite); or target/bench-register-1000000.sqlite,
// made once (about five minutes) by the busy_year example: a year of letters made of the
// example letters' words. The app opens it as a clerk's register; queries are typed into
// the search box one character at a time through WebDriver, each after the one before has
// shown its result. Timed in the page: from the keystroke's event to the frame after the
// last change it made to the count and the rows (the search's pause, the search, both
// calls to the core and the table drawn).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";
import { quantile as q, startApp, until, writeProfile } from "./common.js";

const PORT = 20000 + ((process.pid + 7) % 20000);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const APP = process.env.SARABAN_APP ?? path.join(root, "target/release/saraban-app");
const CLI = process.env.SARABAN_CLI ?? path.join(root, "target/release/saraban");
const LETTERS = Number(process.env.SARABAN_BENCH_LETTERS ?? 1_000_000);
// The register_pg bench's register of as many letters, when it made one; else our own.
const REG =
  process.env.SARABAN_BENCH_REGISTER ??
  [`target/bench-pg-source-${LETTERS}.sqlite`, `target/bench-register-${LETTERS}.sqlite`]
    .map((p) => path.join(root, p))
    .find((p, i, all) => fs.existsSync(p) || i === all.length - 1);

if (!fs.existsSync(REG)) {
  console.error(`making a register of ${LETTERS} letters at ${REG} (once; about five minutes for a million)…`);
  execFileSync("cargo", ["run", "--quiet", "--release", "--example", "busy_year", "--", REG, String(LETTERS)], {
    cwd: root,
    stdio: "inherit",
  });
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), "saraban-search-bench-"));
const home = path.join(work, "home");
const dialogs = path.join(work, "dialogs");
fs.mkdirSync(home, { recursive: true });
fs.mkdirSync(dialogs, { recursive: true });
const env = { ...process.env, HOME: home, SARABAN_DB: REG, SARABAN_TEST_DIALOGS: dialogs, SARABAN_BENCH: "1" };
// An office's profile, so that the app opens on its tabs rather than the first-run screen.
writeProfile(root, path.join(work, "profile.json"));
execFileSync(CLI, ["--db", REG, "profile", "set", path.join(work, "profile.json")], { env });

process.on("exit", () => fs.rmSync(work, { recursive: true, force: true }));
const { browser, killGroup } = await startApp({ root, app: APP, env, port: PORT, remote });
const $ = (s) => browser.$(s);

// The register tab (the first-run screen, on a register without a profile, has it too).
await (await $("[data-tab=register]")).waitForClickable({ timeout: 60000 });
await (await $("[data-tab=register]")).click();
const box = await $("[data-testid=register-search]");
await box.waitForExist({ timeout: 20000 });
await box.click();
// In the page: when each keystroke came, and when the count or the rows last changed.
await browser.execute(() => {
  const view = document.querySelector("[data-testid=register-search]").closest(".register");
  window.__search = { key: null, changed: null, shown: null };
  document.addEventListener("keydown", (e) => {
    window.__search = { key: e.timeStamp, changed: null, shown: null };
  }, true);
  new MutationObserver(() => {
    const s = window.__search;
    if (s.key === null) return;
    s.changed = performance.now();
    requestAnimationFrame(() => (s.shown = performance.now() - s.key));
  }).observe(view, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["style", "aria-rowcount", "data-shown-for"] });
});
// Done: the count says which text its result is for (data-shown-for) and it is the text in
// the box, and nothing changed since for a fifth of a second. An older build without that
// attribute: nothing changed for two seconds (a search slower than that is missed, and
// counted as changing nothing).
const quiet = () =>
  browser.execute(() => {
    const s = window.__search;
    const now = performance.now();
    const total = document.querySelector("[data-testid=register-total]");
    const box = document.querySelector("[data-testid=register-search]");
    if (total.hasAttribute("data-shown-for"))
      return total.dataset.shownFor === box.value && (s.changed === null || now - s.changed > 200) && now - s.key > 50;
    return now - s.key > 3000 && (s.changed === null || now - s.changed > 2000);
  });

// Waits until done; says what the screen shows if it never is.
async function done() {
  try {
    await until(quiet, 60000);
  } catch (e) {
    const seen = await browser.execute(() => ({
      box: document.querySelector("[data-testid=register-search]").value,
      shownFor: document.querySelector("[data-testid=register-total]").dataset.shownFor,
      total: document.querySelector("[data-testid=register-total]").textContent,
      notice: document.querySelector("[role=alert], .notice")?.textContent ?? "",
    }));
    throw new Error(`${e.message}\nscreen: ${JSON.stringify(seen)}`);
  }
}

// Queries a clerk types: subjects' words, a number, a name; some common, some rare.
const QUERIES = (process.env.BENCH_QUERIES ?? "ผู้เชี่ยวชาญ|พื้นที่สีเขียว|โครงการ|มท ๐๘๙๙|ประชุม|จันทบุรี|สถ.").split("|");
const ms = [];
let unchanged = 0;
for (const query of QUERIES) {
  // Emptied as a clerk empties it (WebDriver's clear would take the focus away).
  await box.click();
  await browser.keys(["Control", "a"]);
  await browser.keys(["Backspace"]);
  await done();
  for (const ch of [...query]) {
    await browser.keys([ch]);
    await done();
    const shown = await browser.execute(() => window.__search.shown);
    if (shown === null) unchanged++;
    else ms.push(shown);
    if (process.env.BENCH_DETAIL) console.error(`  ${await box.getValue()}: ${shown === null ? "unchanged" : Math.round(shown)} ms`);
  }
  const total = await (await $("[data-testid=register-total]")).getText();
  // BENCH_SHOT=FILE.png: the register tab after the first query, to look at.
  if (process.env.BENCH_SHOT && query === QUERIES[0]) await browser.saveScreenshot(process.env.BENCH_SHOT);
  console.error(`${query}: ${total}`);
}
await browser.deleteSession();
killGroup("SIGTERM");

const r = Math.round;
console.log(
  `register tab, ${LETTERS} letters, search as you type: keystroke to result on screen median ${r(q(ms, 0.5))} ms, p95 ${r(q(ms, 0.95))} ms, max ${r(Math.max(...ms))} ms (n=${ms.length}; ${unchanged} keystrokes changed nothing on screen)`,
);
console.log("BENCH " + JSON.stringify({ searchMedian: q(ms, 0.5), searchP95: q(ms, 0.95) }));
process.exit(0);
