// jsdom has no layout: a ResizeObserver that never fires is enough for bind:clientHeight.
import { afterEach } from "vitest";
import { cleanup } from "@testing-library/svelte";

class NoResize {
  observe() {}
  unobserve() {}
  disconnect() {}
}
(globalThis as unknown as { ResizeObserver: unknown }).ResizeObserver ??= NoResize;
afterEach(() => cleanup());
