/*
 * The browser client's entry point: builds the shell and installs every
 * feature module. The order of installs is the order of their alerts'
 * listeners and of the room extensions (the panels above a room, top to
 * bottom, and the actions in a member's menu), nothing else.
 */
import { createApp } from './app.js';
import * as auth from './views/auth.js';
import * as rooms from './views/rooms.js';
import * as room from './views/room.js';
import * as meetings from './views/meetings.js';
import * as meetingPanel from './views/meeting_panel.js';
import * as roomSettings from './views/room_settings.js';
import * as moderationRoom from './views/moderation_room.js';
import * as moderation from './views/moderation.js';
import * as safetyNotices from './views/safety_notices.js';
import * as buddies from './views/buddies.js';
import * as support from './views/support.js';
import * as checkin from './views/checkin.js';
import * as history from './views/history.js';
import * as cleantime from './views/cleantime.js';
import * as plan from './views/plan.js';
import * as settings from './views/settings.js';

const app = createApp(document.getElementById('app'));
for (const module of [auth, rooms, room, meetings, meetingPanel, roomSettings, moderationRoom, moderation,
  safetyNotices, buddies, support, checkin, history, cleantime, plan, settings])
  module.install(app);
app.start();
