/**
 * Tasks run one after another, in the order they were asked for.
 *
 * Autosave, the save button, Ctrl+S, switching letters and closing the window all save the
 * letter being composed. Each save must decide whether there is anything to save only once
 * the save before it has finished: two saves that both start from "not saved yet" send the
 * same letter twice — two versions, or for a new letter two drafts.
 */
export function oneAtATime(): <T>(task: () => Promise<T>) => Promise<T> {
  let last: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = last.then(task, task);
    last = run.catch(() => undefined);
    return run;
  };
}
