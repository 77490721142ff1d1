/*
 * Time for meetings: the server's clock as this device best knows it
 * (PROTOCOL.md 14.6: the time left in a share is counted from share_ends_at
 * with this device's clock, corrected by the skew a `ping` measured), and
 * times shown in the reader's own zone with the meeting's zone beside them.
 */
const clock = { offset: 0, measuring: null };

export function serverNow() {
  return Date.now() + clock.offset;
}

/* A sure point on the server's clock (a meeting.warning's seconds_left). */
export function setServerNow(ts) {
  clock.offset = ts - Date.now();
}

export function measureSkew(app) {
  if (clock.measuring) return clock.measuring;
  const t0 = Date.now();
  clock.measuring = app.conn.request('ping').then((data) => {
    const t1 = Date.now();
    if (typeof data.ts === 'number') clock.offset = data.ts - Math.round((t0 + t1) / 2);
  }).catch(() => {}).finally(() => { clock.measuring = null; });
  return clock.measuring;
}

export const localZone = (() => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
})();

/* "America/New_York" -> "New York"; "Etc/UTC" -> "UTC". */
export function zoneName(tz) {
  if (!tz) return '';
  if (/^(Etc\/)?(UTC|GMT|UCT|Zulu|Universal)$/i.test(tz)) return 'UTC';
  return tz.split('/').pop().replace(/_/g, ' ');
}

export function formatter(opts, tz) {
  try {
    return new Intl.DateTimeFormat(undefined, tz ? { ...opts, timeZone: tz } : opts);
  } catch {
    return null; /* a zone this browser does not know */
  }
}

const timeOnly = { hour: 'numeric', minute: '2-digit' };

/* The slot's own wall time beside the reader's, when they differ:
 * "7:00 PM in New York" (with the weekday when that differs too). */
export function zoneTime(ts, tz) {
  if (!tz) return null;
  const theirTime = formatter(timeOnly, tz);
  const theirDay = formatter({ weekday: 'short' }, tz);
  if (!theirTime || !theirDay) return null;
  const sameDay = theirDay.format(ts) === formatter({ weekday: 'short' }).format(ts);
  const sameTime = theirTime.format(ts) === formatter(timeOnly).format(ts);
  if (sameDay && sameTime) return null;
  return `${sameDay ? '' : `${theirDay.format(ts)} `}${theirTime.format(ts)} in ${zoneName(tz)}`;
}

/* "Today", "Tomorrow", "Friday, March 6". */
export function dayHeading(ts) {
  const d = new Date(ts);
  const today = new Date(serverNow());
  const tomorrow = new Date(today);
  tomorrow.setDate(today.getDate() + 1);
  if (d.toDateString() === today.toDateString()) return 'Today';
  if (d.toDateString() === tomorrow.toDateString()) return 'Tomorrow';
  return formatter({ weekday: 'long', month: 'long', day: 'numeric' }).format(d);
}

export function timeRange(start, end) {
  const f = formatter(timeOnly);
  try {
    return f.formatRange(start, end);
  } catch {
    return `${f.format(start)} – ${f.format(end)}`;
  }
}

/* "4:12" */
export function clockText(ms) {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
