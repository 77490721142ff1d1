/*
 * The browser client's entry point: builds the shell and installs every
 * feature module. The order of installs is the order of their alerts'
 * listeners, nothing else.
 */
import { createApp } from './app.js';
import * as auth from './views/auth.js';
import * as rooms from './views/rooms.js';
import * as room from './views/room.js';
import * as buddies from './views/buddies.js';
import * as support from './views/support.js';

const app = createApp(document.getElementById('app'));
for (const module of [auth, rooms, room, buddies, support])
  module.install(app);
app.start();
