import "./app.css";
import { mount } from "svelte";
import App from "./App.svelte";

// When the clerk last typed: the preview reports keystroke-to-page latency from it. And how
// long each keystroke waited to be painted in its field (from the key's event to the next
// frame): typing must never wait for the preview. The tests and the bench read both.
const clock = window as unknown as { __lastInput: number; __typedToFrame: number[] };
clock.__typedToFrame = [];
window.addEventListener(
  "input",
  (e) => {
    clock.__lastInput = performance.now();
    const at = e.timeStamp;
    requestAnimationFrame(() => {
      clock.__typedToFrame.push(performance.now() - at);
      if (clock.__typedToFrame.length > 1000) clock.__typedToFrame.shift();
    });
  },
  true,
);

const app = mount(App, { target: document.getElementById("app")! });
export default app;
