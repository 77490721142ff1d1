// Takes the README's screenshots of the browser client's main screens, the
// way a member sees them: a real hearthd (its test clock moves the days) and
// Debian's chromium, phone-sized and desktop, light and dark. The people and
// words are made up here.
//
//   cd tests/web && HEARTHD=../../build/release/hearthd \
//     HEARTH_WEB_ROOT=../../client/web node tools/screenshots.mjs [OUT_DIR]
//
// OUT_DIR defaults to client/screenshots. Not a test: it stops at the first
// step that fails, with the error.
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startServer, launchBrowser, newMember, DESKTOP } from '../e2e/harness.mjs';
import { becomeBuddies, createRoom, messageIn, navTo, openRoom, openView, say, signUp } from '../e2e/ui.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(process.argv[2] || path.join(here, '../../../client/screenshots'));
const DAY_MS = 24 * 3600 * 1000;
mkdirSync(out, { recursive: true });

/* The screen as it opens: scrolled to the top, the last toast gone. */
async function shot(member, name, { scrollTo = 0 } = {}) {
  const { page } = member;
  await page.locator('.toast.shown').waitFor({ state: 'hidden', timeout: 6000 }).catch(() => {});
  await page.evaluate((y) => window.scrollTo(0, y), scrollTo);
  await page.waitForTimeout(300); /* let the last update paint */
  await page.screenshot({ path: path.join(out, `${name}.png`) });
  console.log(`saved ${name}.png`);
}

async function checkIn(member, mood, craving) {
  const { page } = member;
  await openView(member, 'checkin', { fresh: true });
  await page.getByRole('group', { name: 'How are you feeling today?' }).getByRole('radio').nth(mood - 1).check();
  await page.getByRole('group', { name: 'Craving today' }).getByRole('radio', { name: String(craving), exact: true }).check();
}

const server = await startServer();
const browser = await launchBrowser();
try {
  const maya = await newMember(browser, server);
  const leo = await newMember(browser, server, { viewport: DESKTOP });
  await leo.page.emulateMedia({ colorScheme: 'dark' });

  await maya.page.goto(server.url + '/');
  await maya.page.getByLabel('Handle').waitFor();
  await shot(maya, 'signin');
  await signUp(maya, server, 'maya');
  await shot(maya, 'rooms');

  await signUp(leo, server, 'leo');
  await openRoom(maya, 'welcome', 'Welcome');
  await openRoom(leo, 'welcome', 'Welcome');
  // The first room brings a once-only note with the crisis resources: read, then closed.
  for (const m of [maya, leo]) await m.page.getByRole('button', { name: 'Close: Before you start' }).click();
  await say(leo, 'Morning all. Coffee and a walk before work today.');
  await say(maya, 'Hi, I am new here. Day 9. Glad this place exists.');
  await say(leo, 'Welcome, maya! Day 9 is a big deal. The evening circle meets at 8 if you want to listen in.');
  await messageIn(maya, 'The evening circle meets at 8');
  await shot(maya, 'room-phone');
  await shot(leo, 'room-desktop-dark');

  // A couple of weeks of check-ins, one a day by the server's clock.
  const moods = [3, 2, 3, 4, 3, 4, 4, 2, 3, 4, 5, 4];
  for (let day = 0; day < moods.length; day++) {
    await checkIn(maya, moods[day], Math.max(0, 7 - moods[day] - (day % 3)));
    await maya.page.getByRole('button', { name: 'Check in', exact: true }).click();
    await maya.page.getByRole('status').filter({ hasText: 'Thank you for checking in.' }).waitFor();
    await server.advance(DAY_MS);
  }
  await checkIn(maya, 4, 1);
  await maya.page.getByLabel('Something you are grateful for').fill('A long call with my sister.');
  await shot(maya, 'checkin');
  await openView(maya, 'history', { fresh: true });
  await maya.page.getByRole('heading', { name: 'Your check-ins', level: 1 }).waitFor();
  await shot(maya, 'history');

  await becomeBuddies(maya, leo, 'leo', 'maya');
  await navTo(maya, 'Buddies');
  await shot(maya, 'buddies');

  // The host opens a meeting and gives maya the floor.
  await createRoom(leo, 'circle', 'Evening circle');
  await leo.page.getByText('Room settings', { exact: true }).click();
  await leo.page.getByText('Meetings and privacy', { exact: true }).click();
  await leo.page.getByLabel(/This is a meeting room/).check();
  await leo.page.getByLabel('Meeting format').fill('Welcome to the evening circle. Shares are 5 minutes; raise your hand to share.');
  await leo.page.getByRole('button', { name: 'Save meeting and privacy settings' }).click();
  await leo.page.getByText('Room settings', { exact: true }).click();
  const panel = (m) => m.page.getByRole('region', { name: 'Meeting' });
  await panel(leo).getByRole('button', { name: 'Open the meeting' }).click();
  await openRoom(maya, 'circle', 'Evening circle');
  await panel(maya).getByRole('button', { name: 'Raise my hand' }).click();
  await panel(leo).getByRole('button', { name: 'Give the floor to maya' }).click();
  await panel(maya).getByRole('button', { name: 'Done' }).waitFor();
  await say(maya, 'Thanks. Today was hard at lunch, but I called leo and it passed.');
  await shot(maya, 'meeting-phone');
  await shot(leo, 'meeting-desktop-dark');

  await maya.page.getByRole('button', { name: 'I need support now' }).click();
  await maya.page.getByLabel('A craving is hitting now').check();
  await maya.page.getByLabel('A few words (optional)').fill('Payday, and the old crowd is going out.');
  await maya.page.getByRole('button', { name: 'Ask for support' }).click();
  await maya.page.getByRole('button', { name: 'Withdraw my request' }).waitFor();
  await shot(maya, 'support');
} finally {
  await browser.close();
  await server.cleanup();
}
