/**
 * A long task that runs while the clerk goes on working (งานเบื้องหลัง): a register book of
 * thousands of pages, an export. The window's status line shows its progress; nothing is
 * covered or locked meanwhile (the Rust side runs it on a connection of its own). One at a
 * time: a second is refused while one runs.
 */
export class BackgroundJob {
  /** What is running and how far it got; null when nothing runs. */
  text = $state<string | null>(null);

  get running(): boolean {
    return this.text !== null;
  }

  /** Runs `task`, which may report its progress; `undefined` when another job is running. */
  async run<T>(text: string, task: (progress: (text: string) => void) => Promise<T>): Promise<T | undefined> {
    if (this.running) return undefined;
    this.text = text;
    try {
      return await task((t) => {
        if (this.text !== null) this.text = t;
      });
    } finally {
      this.text = null;
    }
  }
}

/** The window's one background job. */
export const job = new BackgroundJob();
