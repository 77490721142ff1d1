/*
 * The Meetings screen (PROTOCOL.md 5.43, 5.45, 14.8-14.9): the coming
 * meetings of every meeting room one can see, in the reader's own time with
 * the slot's zone beside it when it differs, which ones are open now, the
 * meeting rooms, and one's own attendance (private to the member).
 *
 * The panel in a meeting room is meeting_panel.js.
 */
import { fill, fmtDuration, h, showError, uid } from '../dom.js';
import { isConversation } from './roles.js';
import { dayHeading, formatter, localZone, serverNow, timeRange, zoneName, zoneTime } from './meeting_time.js';

export function install(app) {
  let view = null;
  app.addView({
    id: 'meetings', title: 'Meetings', nav: true, order: 20,
    create: () => {
      view = createMeetingsView(app);
      return view;
    },
  });
  /* A meeting listed here opened or closed: its "Open now" changes. */
  app.conn.on('meeting.state', (ev) => {
    if (ev.meeting && ev.meeting.room) view?.noteState(ev.meeting);
  });
  app.onSignedIn(() => {
    if (view && view.el.isConnected) view.refresh();
  });
}

function createMeetingsView(app) {
  const upcomingList = h('div', { class: 'stack meeting-upcoming' });
  const upcomingError = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const roomsList = h('ul', { class: 'list meeting-rooms' });
  const roomsError = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const attendanceList = h('ul', { class: 'list meeting-attendance' });
  const attendanceError = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const loadingLine = h('p', { class: 'muted', role: 'status' });
  const zoneNote = h('p', { class: 'muted' },
    `Times are shown in your own time (${zoneName(localZone)}).`);
  let timer = null;
  let shown = [];   /* the meetings listed, to refresh when one opens or closes */

  const el = h('div', { class: 'stack meetings' },
    h('h1', {}, 'Meetings'),
    h('section', { 'aria-labelledby': 'mtg-upcoming' },
      h('h2', { id: 'mtg-upcoming' }, 'Coming up'), zoneNote, loadingLine, upcomingError, upcomingList),
    h('section', { 'aria-labelledby': 'mtg-rooms' },
      h('h2', { id: 'mtg-rooms' }, 'Meeting rooms'), roomsError, roomsList),
    h('details', { class: 'card meeting-attendance-box' },
      h('summary', {}, 'Your attendance'),
      h('p', { class: 'hint' }, 'Only you can see this.'),
      attendanceError, attendanceList));
  const attendance = el.querySelector('.meeting-attendance-box');
  attendance.addEventListener('toggle', () => {
    if (attendance.open) loadAttendance();
  });

  function goLink(room, title) {
    return h('a', { href: `#/room/${encodeURIComponent(room)}`, class: 'meeting-go', 'aria-label': `Go to ${title}` }, 'Go');
  }

  function meetingItem(m) {
    const now = serverNow();
    const theirs = zoneTime(m.starts_at, m.tz);
    let state = null;
    if (m.open) state = h('span', { class: 'badge meeting-open' }, 'Open now');
    else if (m.starts_at <= now && now < m.ends_at) state = h('span', { class: 'badge' }, 'Starting: waiting for the chair');
    else if (m.starts_at - now < 3600000) state = h('span', { class: 'muted small' }, `Starts in ${fmtDuration(m.starts_at - now)}`);
    return h('li', { class: 'meeting-item' },
      h('div', { class: 'meeting-item-main' },
        h('span', { class: 'meeting-item-title' }, m.title),
        h('span', {}, timeRange(m.starts_at, m.ends_at),
          theirs ? h('span', { class: 'muted' }, ` (${theirs})`) : null),
        state),
      goLink(m.room, m.title));
  }

  async function loadUpcoming() {
    showError(upcomingError, null);
    if (!upcomingList.children.length) loadingLine.textContent = 'Looking for meetings…';
    try {
      const { meetings } = await app.conn.request('meeting.upcoming', { days: 7, limit: 50 });
      shown = meetings;
      const groups = new Map();
      for (const m of meetings) {
        const day = dayHeading(m.starts_at);
        if (!groups.has(day)) groups.set(day, []);
        groups.get(day).push(m);
      }
      fill(upcomingList, meetings.length ? [...groups].map(([day, list]) => {
        const id = uid('day');
        return h('div', { class: 'meeting-day-group' },
          h('h3', { id, class: 'meeting-subhead' }, day),
          h('ul', { class: 'list', 'aria-labelledby': id }, list.map(meetingItem)));
      }) : h('p', { class: 'muted' }, 'No meetings are scheduled in the next week. Meeting rooms below may still open at any time.'));
    } catch (err) {
      showError(upcomingError, err);
    } finally {
      loadingLine.textContent = '';
    }
  }

  async function loadRooms() {
    showError(roomsError, null);
    try {
      const { rooms } = await app.conn.request('room.list');
      const meetingRooms = rooms.filter((r) => r.meeting && !isConversation(r));
      fill(roomsList, meetingRooms.length ? meetingRooms.map((r) => h('li', { class: 'meeting-item' },
        h('div', { class: 'meeting-item-main' },
          h('span', { class: 'meeting-item-title' }, r.title),
          r.topic ? h('span', { class: 'muted' }, r.topic) : null,
          h('span', { class: 'muted small' }, [r.joined ? 'You are a member' : 'Open to join',
            r.ephemeral ? 'nothing said here is kept' : null].filter(Boolean).join(' · '))),
        goLink(r.room, r.title)))
        : h('li', { class: 'muted' }, 'There are no meeting rooms yet.'));
    } catch (err) {
      showError(roomsError, err);
    }
  }

  async function loadAttendance() {
    showError(attendanceError, null);
    try {
      const { weeks } = await app.conn.request('meeting.attendance', {
        utc_offset_minutes: -new Date().getTimezoneOffset(), weeks: 12,
      });
      fill(attendanceList, weeks.length ? weeks.map((w) => h('li', {},
        `Week of ${formatter({ month: 'long', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${w.week}T00:00:00Z`))}: `,
        `${w.meetings} meeting${w.meetings === 1 ? '' : 's'}, ${fmtDuration(w.minutes * 60000)}`))
        : h('li', { class: 'muted' }, 'No meetings yet in the last 12 weeks. Whenever you are ready, you are welcome.'));
    } catch (err) {
      showError(attendanceError, err);
    }
  }

  function refresh() {
    loadUpcoming();
    loadRooms();
    if (attendance.open) loadAttendance();
  }

  return {
    el,
    refresh,
    show() {
      refresh();
      clearInterval(timer);
      timer = setInterval(() => {
        if (el.isConnected) loadUpcoming();
      }, 60000);
    },
    hide() {
      clearInterval(timer);
      timer = null;
    },
    reset() {
      clearInterval(timer);
    },
    /* A meeting listed here opened or closed: its "Open now" changes. */
    noteState(st) {
      if (!el.isConnected) return;
      const listed = shown.find((m) => m.room === st.room);
      if (listed && listed.open !== st.open) loadUpcoming();
    },
  };
}
