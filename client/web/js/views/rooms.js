/*
 * Rooms: the rooms you are in, your private conversations, the open rooms
 * you could join, making a room, joining with an invite code, and your own
 * status (PROTOCOL.md 5.6-5.10, 20.1).
 */
import { busy, field, fill, h, showError, showFieldError, statusLine } from '../dom.js';
import { lastShown } from './room_state.js';

const STATUSES = [
  ['available', 'Available'],
  ['away', 'Away'],
  ['busy', 'Busy'],
  ['invisible', 'Invisible (you appear offline)'],
];

export function roomLabel(room) {
  return room.kind && room.kind !== 'room' ? `${room.peer} (${room.kind === 'support' ? 'support' : 'buddy'} conversation)` : room.title;
}

function createRoomsView(app) {
  const status = h('select', { name: 'status' }, STATUSES.map(([v, label]) => h('option', { value: v }, label)));
  const statusRow = field('Your status', status);
  status.addEventListener('change', () => busy(status, statusRow.error, async () => {
    const data = await app.conn.request('presence.set', { status: status.value });
    app.me.status = data.status;
    app.toast(`Your status is now ${data.status}.`);
  }));

  /* For someone new: what there is to do, in the order most people need it. */
  const welcome = h('section', { class: 'card welcome', 'aria-labelledby': 'welcome-title', hidden: true },
    h('h2', { id: 'welcome-title' }, 'Welcome. Here is where to start'),
    h('ol', {},
      h('li', {}, 'Join a room below and say hello. People here are in recovery too.'),
      h('li', {}, h('a', { href: '#/checkin' }, 'Check in'), ': how are you today? It takes a minute and stays private unless you share it.'),
      h('li', {}, h('a', { href: '#/buddies' }, 'Find a buddy'), ': someone to keep in touch with.'),
      h('li', {}, 'When it gets hard, press "I need support now" at the top of any screen.')));
  const listState = statusLine('muted');
  const mine = h('ul', { class: 'list room-list', 'aria-label': 'Your rooms' });
  const conversations = h('ul', { class: 'list room-list', 'aria-label': 'Your conversations' });
  const others = h('ul', { class: 'list room-list', 'aria-label': 'Open rooms you can join' });
  const listError = h('p', { class: 'field-error', role: 'alert', hidden: true });

  /* "new" when something happened since this device last showed the room. */
  function newMark(room) {
    const shown = lastShown(room.room);
    return shown !== null && room.last_seq > shown ? h('span', { class: 'badge new' }, 'new') : null;
  }

  function roomItem(room) {
    const facts = [];
    if (room.meeting) facts.push('meeting room');
    facts.push(`${room.present} of ${room.members} here`);
    if (room.visibility === 'invite') facts.push('invite only');
    const link = h('a', { href: `#/room/${encodeURIComponent(room.room)}` }, room.title, room.joined ? newMark(room) : null);
    return h('li', { class: 'room-item' },
      h('div', {}, link, room.topic ? h('p', { class: 'muted' }, room.topic) : null),
      h('span', { class: 'muted small' }, facts.join(' · ')));
  }

  function conversationItem(room) {
    const state = app.presence(room.peer);
    return h('li', { class: 'room-item' },
      h('a', { href: `#/room/${encodeURIComponent(room.room)}` },
        h('span', { class: `dot presence-${state}`, 'aria-hidden': 'true' }), room.peer, newMark(room)),
      h('span', { class: 'muted small' }, room.kind === 'support' ? 'support conversation' : 'buddy'));
  }

  function joinItem(room) {
    const join = h('button', { type: 'button', class: 'quiet', 'aria-label': `Join ${room.title}` }, 'Join');
    const err = h('p', { class: 'field-error', role: 'alert', hidden: true });
    join.addEventListener('click', () => busy(join, err, async () => {
      await app.conn.request('room.join', { room: room.room });
      app.go('room', room.room);
    }));
    const item = roomItem(room);
    item.append(join, err);
    return item;
  }

  /* quiet: a background update, not announced to screen readers. */
  async function refresh({ quiet = false } = {}) {
    if (!quiet) listState.textContent = 'Loading rooms…';
    showError(listError, null);
    try {
      const { rooms } = await app.conn.request('room.list');
      const isConversation = (r) => r.kind && r.kind !== 'room';
      fill(mine, rooms.filter((r) => r.joined && !isConversation(r)).map(roomItem));
      fill(conversations, rooms.filter(isConversation).map(conversationItem));
      fill(others, rooms.filter((r) => !r.joined && !isConversation(r)).map(joinItem));
      welcome.hidden = mine.children.length > 0;
      if (!mine.children.length) mine.append(h('li', { class: 'muted' }, 'You have not joined a room yet. Pick one below, or make one.'));
      if (!conversations.children.length) conversations.append(h('li', { class: 'muted' }, 'When you pair with a buddy or someone supports you, your conversation shows here.'));
      if (!others.children.length) others.append(h('li', { class: 'muted' }, 'No other open rooms right now.'));
      listState.textContent = '';
    } catch (err) {
      listState.textContent = '';
      showError(listError, err);
    }
  }

  /* Making a room. */
  const name = h('input', { name: 'room', autocapitalize: 'none', spellcheck: 'false', maxlength: '32' });
  const title = h('input', { name: 'title', maxlength: '80' });
  const topic = h('input', { name: 'topic', maxlength: '300' });
  const visibility = h('select', { name: 'visibility' },
    h('option', { value: 'open' }, 'Open: anyone can join'),
    h('option', { value: 'invite' }, 'Invite only'));
  const rows = {
    room: field('Room name', name, { hint: 'Used in links: 3 to 32 of a-z, 0-9, - or _.' }),
    title: field('Title', title),
    topic: field('Topic (optional)', topic),
    visibility: field('Who can join', visibility),
  };
  const createError = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const createButton = h('button', { type: 'submit', class: 'primary' }, 'Make the room');
  const createForm = h('form', {
    class: 'stack', novalidate: true,
    onsubmit: async (e) => {
      e.preventDefault();
      showFieldError(rows, createError, null);
      createButton.disabled = true;
      try {
        const data = await app.conn.request('room.create', {
          room: name.value.trim(), title: title.value.trim(), topic: topic.value.trim(), visibility: visibility.value,
        });
        createForm.reset();
        app.go('room', data.room.room);
      } catch (err) {
        showFieldError(rows, createError, err);
      } finally {
        createButton.disabled = false;
      }
    },
  }, rows.room, rows.title, rows.topic, rows.visibility, createError, createButton);

  /* Joining with an invite code. */
  const inviteRoom = h('input', { name: 'room', autocapitalize: 'none', spellcheck: 'false' });
  const inviteCode = h('input', { name: 'invite', autocomplete: 'off' });
  const inviteError = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const inviteButton = h('button', { type: 'submit' }, 'Join with the code');
  const inviteForm = h('form', {
    class: 'stack', novalidate: true,
    onsubmit: async (e) => {
      e.preventDefault();
      const data = await busy(inviteButton, inviteError, () => app.conn.request('room.join', {
        room: inviteRoom.value.trim(), invite: inviteCode.value.trim(),
      }));
      if (data) {
        inviteForm.reset();
        app.go('room', data.room.room);
      }
    },
  }, field('Room name', inviteRoom), field('Invite code', inviteCode), inviteError, inviteButton);

  const el = h('div', { class: 'stack rooms' },
    h('h1', {}, 'Rooms'),
    welcome,
    h('section', { class: 'card' }, statusRow),
    listState, listError,
    h('section', { 'aria-labelledby': 'mine-title' }, h('h2', { id: 'mine-title' }, 'Your rooms'), mine),
    h('section', { 'aria-labelledby': 'conv-title' }, h('h2', { id: 'conv-title' }, 'Conversations'), conversations),
    h('section', { 'aria-labelledby': 'others-title' }, h('h2', { id: 'others-title' }, 'Open rooms'), others),
    h('details', { class: 'card' }, h('summary', {}, 'Make a room'), createForm),
    h('details', { class: 'card' }, h('summary', {}, 'Join with an invite code'), inviteForm));

  app.onSignedIn(() => {
    if (el.isConnected) refresh();
  });
  /* While the list is on screen its "new" marks follow what is said (at most once a second). */
  let refreshTimer = null;
  app.conn.on('room.message', () => {
    if (!el.isConnected || refreshTimer) return;
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      if (el.isConnected) refresh({ quiet: true });
    }, 1000);
  });

  return {
    el,
    show() {
      status.value = app.me.status;
      refresh();
    },
  };
}

export function install(app) {
  app.addView({ id: 'rooms', title: 'Rooms', nav: true, order: 10, create: createRoomsView });
}
