// What the app's benches share: waiting for a condition, a port that answers, and an
// office's profile made from the J.CLAIR letter (so that the app opens on its tabs).
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

export const listening = (port) =>
  new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1", () => {
      socket.end();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });

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
