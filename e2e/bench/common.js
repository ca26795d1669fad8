// What the app's benches share: waiting for a condition, a port that answers, and an
// office's profile made from the J.CLAIR letter (so that the app opens on its tabs).
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

// Waits until `condition` holds (asked every 20 ms, at most `timeout` ms): every wait of
// a bench is for a condition, never a fixed pause.
export async function until(condition, timeout = 20000) {
  const end = Date.now() + timeout;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms: ${condition}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The `p` quantile (0–1) of the numbers `xs`, the nearest one at or below. */
export const quantile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

export const listening = (port) =>
  new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1", () => {
      socket.end();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });

/**
 * Starts tauri-driver on `port` (and `port + 1`) in a process group of its own and a
 * WebDriver session of `app`; returns the session and a function that signals the whole
 * group (the driver, the app and its web processes), which is killed when node exits.
 */
export async function startApp({ root, app, env, port, remote }) {
  const driver = spawn(path.join(root, ".tools/bin/tauri-driver"), ["--port", String(port), "--native-port", String(port + 1)], {
    env,
    stdio: "ignore",
    detached: true,
  });
  driver.unref();
  const killGroup = (signal) => {
    try {
      process.kill(-driver.pid, signal);
    } catch {}
  };
  process.on("exit", () => killGroup("SIGKILL"));
  await until(() => listening(port));
  const browser = await remote({
    hostname: "127.0.0.1",
    port,
    logLevel: "error",
    capabilities: { "tauri:options": { application: app }, "wdio:enforceWebDriverClassic": true },
  });
  return { browser, killGroup };
}

/** Writes the office profile of the J.CLAIR letter's sender to `file`; returns the letter. */
export function writeProfile(root, file) {
  const letter = JSON.parse(fs.readFileSync(path.join(root, "tests/fixtures/jclair-specialists.json"), "utf8"));
  fs.writeFileSync(
    file,
    JSON.stringify({
      agency: letter.agency.name,
      address: letter.agency.address,
      units: [{ name: letter.owner.department, prefix: letter.number.prefix }],
      owners: [letter.owner],
      signers: [{ name: letter.signer.name, position: letter.signer.positions[0] }],
    }),
  );
  return letter;
}
