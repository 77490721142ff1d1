/*
 * Panels above a room's conversation that are made once per room and handed
 * back at each of the room view's redraws (which come with a fresh roomCtx)
 * and which leave a panel handed back unchanged where it is, so what a person
 * is doing in one (an open section, a half-filled form, keyboard focus, where
 * it is scrolled to) survives. Conversations get none.
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
      return p.el;
    },
    get: (name) => panels.get(name),
    /* The panels on the page now (of one room, or all). */
    shown: (name) => [...panels.values()].filter((p) => p.el.isConnected && (name === undefined || p.name === name)),
    all: () => [...panels.values()],
    clear: () => panels.clear(),
  };
}
