// make app-bench (a part): an issued letter's stored PDF opened from the register tab,
// which pdf.js draws (the live preview does not use it: the core draws those pages). From
// the click on the row's button to the frame after the first page's canvas is drawn,
// timed in the page, each of the example letters opened several times in turn.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";
import { quantile as q, startApp, until, writeProfile } from "./common.js";

const PORT = 20000 + ((process.pid + 11) % 20000);
const root = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../..",
);
const APP =
  process.env.SARABAN_APP ?? path.join(root, "target/release/saraban-app");
const CLI =
  process.env.SARABAN_CLI ?? path.join(root, "target/release/saraban");
const ROUNDS = Number(process.env.STORED_PDF_ROUNDS ?? 4);

const work = fs.mkdtempSync(
  path.join(os.tmpdir(), "saraban-stored-pdf-bench-"),
);
const home = path.join(work, "home");
const dialogs = path.join(work, "dialogs");
const db = path.join(work, "register.sqlite");
fs.mkdirSync(home, { recursive: true });
fs.mkdirSync(dialogs, { recursive: true });
const env = {
  ...process.env,
  HOME: home,
  SARABAN_DB: db,
  SARABAN_TEST_DIALOGS: dialogs,
  SARABAN_BENCH: "1",
};
writeProfile(root, path.join(work, "profile.json"));
execFileSync(CLI, ["--db", db, "init"], { env, stdio: "ignore" });
execFileSync(
  CLI,
  ["--db", db, "profile", "set", path.join(work, "profile.json")],
  { env },
);
const letters = ["jclair-specialists", "green-area-training", "announcement"];
for (const name of letters)
  execFileSync(
    CLI,
    [
      "--db",
      db,
      "issue",
      path.join(root, `tests/fixtures/${name}.json`),
      "--any-date",
    ],
    { env, stdio: "ignore" },
  );

process.on("exit", () => fs.rmSync(work, { recursive: true, force: true }));
const { browser, killGroup } = await startApp({
  root,
  app: APP,
  env,
  port: PORT,
  remote,
});
const $ = (s) => browser.$(s);
await (await $("[data-tab=register]")).waitForClickable({ timeout: 60000 });
await (await $("[data-tab=register]")).click();
await until(
  async () => (await browser.$$(".row[data-id]")).length >= letters.length,
  20000,
);

const ms = [];
for (let round = 0; round < ROUNDS; round++) {
  for (let i = 0; i < letters.length; i++) {
    // In the page: the click's time, and the frame after the first page is drawn.
    await browser.execute(() => {
      window.__pdf = { click: null, shown: null };
      document.addEventListener(
        "click",
        (e) => (window.__pdf.click ??= e.timeStamp),
        { capture: true, once: true },
      );
      const seen = () =>
        document.querySelector(
          "[data-testid=issued-view] canvas.pdf-page:not(.pending)",
        );
      new MutationObserver((_, o) => {
        if (window.__pdf.click === null || !seen()) return;
        o.disconnect();
        requestAnimationFrame(
          () => (window.__pdf.shown = performance.now() - window.__pdf.click),
        );
      }).observe(document.body, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ["class"],
      });
    });
    const rows = await browser.$$(".row[data-id]");
    await (await rows[i].$("button.small")).click();
    await until(
      () => browser.execute(() => window.__pdf.shown !== null),
      30000,
    );
    ms.push(await browser.execute(() => window.__pdf.shown));
    await browser.keys(["Escape"]);
    await $("[data-testid=issued-view]").waitForExist({
      timeout: 5000,
      reverse: true,
    });
  }
}
await browser.deleteSession();
killGroup("SIGTERM");
const r = Math.round;
console.log(
  `stored PDF (pdf.js), click to its first page on screen: median ${r(q(ms, 0.5))} ms, p90 ${r(q(ms, 0.9))} ms, max ${r(Math.max(...ms))} ms (n=${ms.length})`,
);
console.log(
  "BENCH " +
    JSON.stringify({ storedMedian: q(ms, 0.5), storedP90: q(ms, 0.9) }),
);
process.exit(0);
