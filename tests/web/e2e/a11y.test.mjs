// Accessibility of every main screen, checked by axe-core (WCAG 2.1 A and AA
// rules: names of controls, contrast, landmarks, labels, ARIA use) in light
// and dark, at phone size and on a desktop, with real content on screen.
import { test } from 'node:test';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { startServerAndBrowser, newMember, withArtifacts, DESKTOP } from './harness.mjs';
import { assert, becomeBuddies, createRoom, openView, say, signUp } from './ui.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
const SCREENS = ['rooms', 'room/porch', 'meetings', 'buddies', 'supporters', 'support', 'checkin', 'history',
  'cleantime', 'plan', 'settings', 'moderation'];

const { server, browser } = await startServerAndBrowser();

/* axe's findings on the page as it is now: "rule: what (where)" lines. */
async function violations(page) {
  // Evaluated through the DevTools protocol, so the page's CSP (no inline script) still holds for the page itself.
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    resultTypes: ['violations'],
  }));
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${v.help} (${n.target.join(' ')})`));
}

async function screensOf(member, label) {
  const found = [];
  for (const screen of SCREENS) {
    await openView(member, screen, { fresh: true });
    await member.page.locator('#main h1').first().waitFor();
    await member.page.waitForTimeout(200); /* the screen's own requests fill it in */
    for (const v of await violations(member.page)) found.push(`${label} #/${screen}: ${v}`);
  }
  return found;
}

test('every main screen passes axe, light and dark, phone and desktop', async (t) => {
  const ada = await newMember(browser, server);
  const ben = await newMember(browser, server, { viewport: DESKTOP });
  // Reduced motion: no toast is caught half faded in, when its contrast is not yet its own.
  await ada.page.emulateMedia({ reducedMotion: 'reduce' });
  await ben.page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
  await withArtifacts(t, [ada, ben], async () => {
    await ada.page.goto(server.url + '/');
    await ada.page.getByLabel('Handle').waitFor();
    const found = (await violations(ada.page)).map((v) => `sign-in: ${v}`);

    await signUp(ada, server, 'ada');
    await signUp(ben, server, 'ben');
    await server.promote('ben', 'moderator');
    await ben.page.reload();
    await createRoom(ada, 'porch', 'The porch');
    await say(ada, 'Hello, porch.');
    await becomeBuddies(ada, ben, 'ben', 'ada');

    found.push(...await screensOf(ada, 'phone light'));
    found.push(...await screensOf(ben, 'desktop dark'));
    assert.deepEqual(found, [], `axe found problems:\n${found.join('\n')}`);
  });
});

/* Presses Tab until the focused control is the one named `name` (a bounded number of times). */
async function tabTo(page, name, max = 60) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      const label = el?.labels?.[0]?.textContent || '';
      return (el?.getAttribute('aria-label') || label || el?.textContent || '').trim();
    });
    if (focused === name) return;
  }
  throw new Error(`Tab never reached "${name}"`);
}

test('a newcomer signs up, joins a room and says hello with the keyboard alone', async (t) => {
  const kit = await newMember(browser, server);
  await withArtifacts(t, [kit], async () => {
    const { page } = kit;
    await page.goto(server.url + '/');
    await page.getByLabel('Handle').waitFor();
    await page.keyboard.type('kit');
    await tabTo(page, 'Password');
    await page.keyboard.type('a long enough passphrase');
    await tabTo(page, 'Create account');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'I need support now' }).waitFor();

    await tabTo(page, 'Join Welcome');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Welcome', level: 1 }).waitFor();
    await tabTo(page, 'Message');
    await page.keyboard.type('Hi everyone, first day here.');
    await page.keyboard.press('Enter');
    await page.getByRole('list', { name: 'Messages' }).getByText('Hi everyone, first day here.').waitFor();
  });
});
