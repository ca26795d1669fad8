/**
 * The newest of a stream of requests, one at a time: what search as you type needs.
 *
 * A request asked for while another runs waits, and a newer one replaces it; a result is
 * delivered only when no newer request was asked for meanwhile. So the first keystroke is
 * searched at once (no pause before it), a clerk typing fast sends no pile of searches to
 * the core, and an old result never replaces a newer one on screen.
 */
export class Latest<T> {
  #running = false;
  #waiting: (() => Promise<T>) | null = null;
  #asked = 0;

  constructor(
    private readonly deliver: (value: T) => void,
    private readonly fail: (error: unknown) => void,
  ) {}

  /** Asks for `task`: run now, or after the one running, unless a newer one comes. */
  ask(task: () => Promise<T>): void {
    this.#asked++;
    if (this.#running) {
      this.#waiting = task;
      return;
    }
    void this.#run(task);
  }

  async #run(task: () => Promise<T>): Promise<void> {
    this.#running = true;
    const asked = this.#asked;
    try {
      const value = await task();
      if (asked === this.#asked) this.deliver(value);
    } catch (e) {
      if (asked === this.#asked) this.fail(e);
    } finally {
      this.#running = false;
      const next = this.#waiting;
      this.#waiting = null;
      if (next) void this.#run(next);
    }
  }
}
