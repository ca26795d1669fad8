/**
 * A long task that runs while the clerk goes on working (งานเบื้องหลัง): a register book of
 * thousands of pages, an export. The window's status line shows its progress; nothing is
 * covered or locked meanwhile (the Rust side runs it on a connection of its own). One at a
 * time: a second is refused while one runs.
 */
export class BackgroundJob {
  /** What is running and how far it got; null when nothing runs. */
  text = $state<string | null>(null);
  /** How much is done (0–1), when the task says. */
  done = $state<number | null>(null);

  get running(): boolean {
    return this.text !== null;
  }

  /** Runs `task`, which may report its progress; `undefined` when another job is running. */
  async run<T>(
    text: string,
    task: (progress: (text: string, done?: number) => void) => Promise<T>,
  ): Promise<T | undefined> {
    if (this.running) return undefined;
    this.text = text;
    this.done = null;
    try {
      return await task((t, done) => {
        if (this.text === null) return;
        this.text = t;
        this.done = done ?? null;
      });
    } finally {
      this.text = null;
      this.done = null;
    }
  }
}

/** The window's one background job. */
export const job = new BackgroundJob();
