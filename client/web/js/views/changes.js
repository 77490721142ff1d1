/*
 * changes: a feature area's "this changed" broadcast. The area's screens and
 * room panels watch it and redraw what they show; one view failing to update
 * never stops the others.
 */
export function changeFeed(area) {
  const watchers = new Set();

  function watch(fn) {
    watchers.add(fn);
    return () => watchers.delete(fn);
  }

  function changed(what) {
    for (const fn of [...watchers]) {
      try {
        fn(what);
      } catch (err) {
        console.error(`${area}: a view failed to update`, err);
      }
    }
  }

  /* For a panel above a conversation: the room view drops its panels without
   * telling, so the watcher goes at the first change that finds it off the page. */
  function watchPanel(el, fn) {
    const stop = watch((what) => {
      if (el.isConnected) fn(what);
      else stop();
    });
  }

  return { watch, changed, watchPanel };
}
