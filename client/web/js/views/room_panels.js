/*
 * Panels above a room's conversation that are made once per room and handed
 * back at each of the room view's redraws (which come with a fresh roomCtx),
 * so what a person is doing in one (an open section, a half-filled form,
 * keyboard focus, where it is scrolled to) survives. Conversations get none.
 *
 * make(roomCtx) -> {el, setCtx(roomCtx, opening)}; `opening`: the room is
 * being opened again (the panel was off the page).
 */
import { isConversation } from './roles.js';

export function keptPanels(make) {
  const panels = new Map();   /* room name -> panel */
  return {
    panel(roomCtx) {
      if (isConversation(roomCtx.room)) return null;
      let p = panels.get(roomCtx.name);
      if (!p) {
        p = make(roomCtx);
        panels.set(roomCtx.name, p);
      } else {
        p.setCtx(roomCtx, !p.el.isConnected);
      }
      keepPlaceAcross(p.el);
      return p.el;
    },
    get: (name) => panels.get(name),
    /* The panels on the page now (of one room, or all). */
    shown: (name) => [...panels.values()].filter((p) => p.el.isConnected && (name === undefined || p.name === name)),
    all: () => [...panels.values()],
    clear: () => panels.clear(),
  };
}

/* The room view takes its panels off the page and puts them back when it
 * redraws, which drops keyboard focus and the scroll positions inside them:
 * both are put back once the panel is back. */
function keepPlaceAcross(el) {
  const active = document.activeElement;
  const focused = active && el.contains(active) ? active : null;
  const scrolled = [el, ...el.querySelectorAll('*')].filter((n) => n.scrollTop > 0).map((n) => [n, n.scrollTop]);
  if (!focused && !scrolled.length) return;
  queueMicrotask(() => {
    if (!el.isConnected) return;
    for (const [n, top] of scrolled) n.scrollTop = top;
    if (focused && focused.isConnected && document.activeElement !== focused) focused.focus({ preventScroll: true });
  });
}
