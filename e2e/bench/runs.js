// make app-bench: e2e/bench/app-bench.js run several times (APP_BENCH_RUNS, 3 unless set),
// each a fresh app on a fresh register, and each figure given as the median of the runs'
// figures with their spread (min–max). With SARABAN_APP_BEFORE (and SARABAN_CLI_BEFORE) the
// runs alternate between that build and this one, before, after, before, after…, so that
// both are measured in one sitting on one machine state, and a table of the two is printed.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const runs = Number(process.env.APP_BENCH_RUNS ?? 3);
const builds = [["after", {}]];
if (process.env.SARABAN_APP_BEFORE)
  builds.unshift([
    "before",
    { SARABAN_APP: process.env.SARABAN_APP_BEFORE, SARABAN_CLI: process.env.SARABAN_CLI_BEFORE ?? process.env.SARABAN_CLI ?? "" },
  ]);
const results = Object.fromEntries(builds.map(([name]) => [name, []]));
for (let i = 0; i < runs; i++) {
  for (const [name, env] of builds) {
    const clean = Object.fromEntries(Object.entries(env).filter(([, v]) => v));
    const out = execFileSync("node", [path.join(here, "app-bench.js")], {
      env: { ...process.env, ...clean },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    process.stdout.write(`--- ${name}, run ${i + 1} of ${runs}\n${out.replace(/^BENCH .*\n?/m, "")}`);
    results[name].push(JSON.parse(/^BENCH (.*)$/m.exec(out)[1]));
  }
}
const spread = (xs) => {
  const s = xs.filter((x) => x !== null).sort((a, b) => a - b);
  if (!s.length) return "–";
  const med = s[Math.floor(s.length / 2)];
  return s.length > 1 ? `${Math.round(med)} (${Math.round(s[0])}–${Math.round(s[s.length - 1])})` : `${Math.round(med)}`;
};
const rows = [
  ["cold start to an interactive editor, median, ms", (r) => r.start],
  ...[0, 1, 2].flatMap((k) => [
    [`keystroke to preview, letter ${k + 1} (pages in the run's letter), median, ms`, (r) => r.typing[k]?.median ?? null],
    [`keystroke to preview, letter ${k + 1}, p90, ms`, (r) => r.typing[k]?.p90 ?? null],
  ]),
  ["memory at rest after start (PSS), MB", (r) => r.memoryStart],
  ["memory after composing (PSS), MB", (r) => r.memory],
];
const pages = (name) => results[name][0]?.typing.map((t) => t.pages).join("/") ?? "";
console.log(`\n| figure (median of ${runs} runs, min–max) | ${builds.map(([n]) => `${n} (pages ${pages(n)})`).join(" | ")} |`);
console.log(`|---|${builds.map(() => "---").join("|")}|`);
for (const [label, get] of rows) console.log(`| ${label} | ${builds.map(([n]) => spread(results[n].map(get))).join(" | ")} |`);
