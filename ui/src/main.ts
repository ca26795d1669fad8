import "./app.css";
import { mount } from "svelte";
import App from "./App.svelte";

// When the clerk last typed: the preview reports keystroke-to-page latency from it.
window.addEventListener(
  "input",
  () => ((window as unknown as { __lastInput: number }).__lastInput = performance.now()),
  true,
);

const app = mount(App, { target: document.getElementById("app")! });
export default app;
