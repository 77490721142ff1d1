// End-to-end: a member's settings and their data (PROTOCOL.md 5.5, 5.71-5.72,
// 5.85-5.86, 23.1, 24). Settings are saved and read back after a reload; the
// password changes and the new one logs in; the export downloads one JSON
// document holding the member's own check-in; deleting the account signs
// the member out and the handle no longer logs in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  startServerAndBrowser, newMember, expectNoForeignRequests, expectNoPageErrors, withArtifacts, DESKTOP,
} from './harness.mjs';
import { PASSWORD, navTo, signUp, tryLogIn } from './ui.mjs';

const { server, browser } = await startServerAndBrowser();

function settingsForm(page, name) {
  return page.getByRole('form', { name });
}

test('settings are saved and read back, and a new password logs in', async (t) => {
  const member = await newMember(browser, server);
  const { page } = member;
  await withArtifacts(t, [member], async () => {
    await signUp(member, server, 'quinn');
    await navTo(member, 'Settings');
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();

    // Private by default.
    const checkins = settingsForm(page, 'Check-ins');
    // The form is drawn before the settings arrive: wait for them, not just for the form.
    await page.waitForFunction(() => document.querySelector('select[name="tz"]')?.value);
    assert.equal(await checkins.getByRole('radio', { name: 'Only me' }).isChecked(), true);
    assert.equal(await page.getByRole('checkbox', { name: 'Let my buddies know on a hard day' }).isChecked(), false);

    // The time zone.
    await page.getByLabel('Your time zone').selectOption('Europe/London');
    await page.getByRole('button', { name: 'Save time zone' }).click();
    await (settingsForm(page, 'Time zone')).getByText('Saved.').waitFor();

    // Check-ins: buddies, a threshold of 2, buddies alerted, nudges after 4 quiet days, 3 meetings a week.
    await checkins.getByRole('radio', { name: 'My buddies' }).check();
    await page.getByLabel('A hard day is when I notice').selectOption('2');
    await page.getByRole('checkbox', { name: 'Let my buddies know on a hard day' }).check();
    await page.getByRole('checkbox', { name: 'Nudge my buddies if I go quiet' }).check();
    await page.getByLabel('Quiet for').selectOption('4');
    await page.getByLabel('Meetings I aim for').selectOption('3');
    await page.getByRole('button', { name: 'Save check-in settings' }).click();
    await checkins.getByText('Saved.').waitFor();

    // Sharing with a room needs a room: with none joined, it says so next to the room.
    await checkins.getByRole('radio', { name: 'A room I am in' }).check();
    await page.getByRole('button', { name: 'Save check-in settings' }).click();
    await checkins.getByText('Choose the room to share in.', { exact: false }).waitFor();
    await checkins.getByRole('radio', { name: 'My buddies' }).check();

    // Clean time: shared with buddies.
    const clean = settingsForm(page, 'Clean time');
    await clean.getByRole('radio', { name: /^My buddies/ }).check();
    await page.getByRole('button', { name: 'Save clean time settings' }).click();
    await clean.getByText('Saved.').waitFor();

    // Read back after a reload (a fresh page, the same session).
    await page.reload();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await page.waitForFunction(() => document.querySelector('select[name="tz"]')?.value === 'Europe/London');
    assert.equal(await checkins.getByRole('radio', { name: 'My buddies' }).isChecked(), true);
    assert.equal(await page.getByLabel('A hard day is when I notice').inputValue(), '2');
    assert.equal(await page.getByRole('checkbox', { name: 'Let my buddies know on a hard day' }).isChecked(), true);
    assert.equal(await page.getByRole('checkbox', { name: 'Nudge my buddies if I go quiet' }).isChecked(), true);
    assert.equal(await page.getByLabel('Quiet for').inputValue(), '4');
    assert.equal(await page.getByLabel('Meetings I aim for').inputValue(), '3');
    assert.equal(await clean.getByRole('radio', { name: /^My buddies/ }).isChecked(), true);

    // Notifications: asked for only here, and they say nothing private (the words say so).
    await member.context.grantPermissions(['notifications'], { origin: server.url });
    const notify = page.getByRole('checkbox', { name: 'Show notifications on this device' });
    await notify.check();
    await page.getByText('Notifications are on for this device.').waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await page.waitForFunction(() => document.querySelector('select[name="tz"]')?.value); /* settings drawn */
    assert.equal(await notify.isChecked(), true);
    await notify.uncheck();
    await page.getByText('Notifications are off for this device.').waitFor();

    // The check-in form says plainly who will see it now.
    await navTo(member, 'Check in');
    await page.getByText('Your buddies will see this check-in', { exact: false }).waitFor();
    await assert.doesNotReject(page.getByText('Your note stays private.', { exact: false }).waitFor());

    // The password: a wrong current one is said next to it; then it changes.
    await navTo(member, 'Settings');
    const pw = settingsForm(page, 'Password');
    await page.getByLabel('Current password').fill('not my password at all');
    await page.getByLabel('New password', { exact: true }).fill('a new and longer passphrase');
    await page.getByLabel('New password again').fill('a new and longer passphrase');
    await page.getByRole('button', { name: 'Change password' }).click();
    await pw.getByText('That is not your current password.').waitFor();
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await pw.getByText('Your password is changed.', { exact: false }).waitFor();

    // This device keeps its session with the new token: a reload stays signed in.
    await page.reload();
    await page.getByRole('button', { name: 'I need support now' }).waitFor();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();

    // Log out, and the new password logs in; the old one does not.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Log out' }).click();
    await page.getByLabel('Handle').waitFor();
    await tryLogIn(member, 'quinn', PASSWORD);
    await page.getByText('That handle and password do not match an account.').waitFor();
    await tryLogIn(member, 'quinn', 'a new and longer passphrase');
    await page.getByRole('button', { name: 'I need support now' }).waitFor();

    expectNoForeignRequests(member);
    expectNoPageErrors(member);
  });
  await member.context.close();
});

test('the export downloads one JSON document with the member’s own check-in', async (t) => {
  const member = await newMember(browser, server, { viewport: DESKTOP });
  const { page } = member;
  await withArtifacts(t, [member], async () => {
    await signUp(member, server, 'rosa');
    await navTo(member, 'Check in');
    await page.getByRole('radio', { name: '5 Very good' }).check();
    await page.getByLabel('Something you are grateful for').fill('A quiet morning.');
    await page.getByLabel('A private note').fill('Only mine.');
    await page.getByRole('button', { name: 'Check in', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Thank you for checking in.' }).waitFor();

    await navTo(member, 'Settings');
    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download my data' }).click();
    const download = await downloading;
    assert.match(download.suggestedFilename(), /^hearth-data-\d{4}-\d{2}-\d{2}\.json$/);
    const doc = JSON.parse(await readFile(await download.path(), 'utf8'));
    assert.equal(doc.format, 'hearth-export-1');
    assert.equal(doc.account.handle, 'rosa');
    assert.equal(doc.checkins.length, 1);
    assert.equal(doc.checkins[0].mood, 5);
    assert.equal(doc.checkins[0].grateful, 'A quiet morning.');
    assert.equal(doc.checkins[0].note, 'Only mine.');
    await page.getByText('Your data is downloaded.').waitFor();
    // A blob: URL never leaves the browser.
    expectNoForeignRequests(member);
    expectNoPageErrors(member);
  });
  await member.context.close();
});

test('deleting the account signs the member out, and the handle no longer logs in', async (t) => {
  const member = await newMember(browser, server);
  const { page } = member;
  await withArtifacts(t, [member], async () => {
    await signUp(member, server, 'sasha');
    await navTo(member, 'Settings');
    await page.getByText('I want to delete my account').click();
    const del = page.getByRole('form', { name: 'Delete your account' });

    // The confirmation is needed, and a wrong password changes nothing.
    await del.getByLabel('Your password').fill(PASSWORD);
    await del.getByLabel('To confirm, type “delete my account”').fill('yes');
    await page.getByRole('button', { name: 'Delete my account for good' }).click();
    await del.getByText('Type “delete my account” to confirm.', { exact: false }).waitFor();
    await del.getByLabel('Your password').fill('not the password');
    await del.getByLabel('To confirm, type “delete my account”').fill('delete my account');
    await page.getByRole('button', { name: 'Delete my account for good' }).click();
    await del.getByText('That is not your password.').waitFor();

    await del.getByLabel('Your password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Delete my account for good' }).click();
    // Signed out, told so, on the sign-in screen.
    await page.getByLabel('Handle').waitFor();
    await page.getByText(/account (has been|is) deleted/).waitFor();
    assert.equal(await page.getByRole('button', { name: 'I need support now' }).isVisible(), false);
    assert.equal(await page.evaluate(() => localStorage.getItem('hearth.token')), null);

    await tryLogIn(member, 'sasha', PASSWORD);
    await page.getByText('That handle and password do not match an account.').waitFor();
    expectNoPageErrors(member);
  });
  await member.context.close();
});

test('a new member’s days follow the time zone of their device', async (t) => {
  // A context of its own, to give the device a time zone.
  const context = await browser.newContext({ baseURL: server.url, timezoneId: 'America/New_York', viewport: DESKTOP });
  const page = await context.newPage();
  const tova = { page }; // for ui.mjs's steps, which use only the page
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await withArtifacts(t, [page], async () => {
    await signUp(tova, server, 'tova');
    await navTo(tova, 'Settings');
    await page.waitForFunction(() => document.querySelector('select[name="tz"]')?.value === 'America/New_York');
    // Chosen on purpose, UTC stays, on this device too.
    await page.getByLabel('Your time zone').selectOption('UTC');
    await page.getByRole('button', { name: 'Save time zone' }).click();
    await settingsForm(page, 'Time zone').getByText('Saved.').waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await page.waitForFunction(() => document.querySelector('select[name="tz"]')?.value === 'UTC');
    await page.getByRole('button', { name: 'Use this device’s time zone (America/New York)' }).click();
    await page.getByRole('button', { name: 'Save time zone' }).click();
    await settingsForm(page, 'Time zone').getByText('Saved.').waitFor();
    assert.equal(await page.getByLabel('Your time zone').inputValue(), 'America/New_York');
    assert.deepEqual(errors, []);
  });
  await context.close();
});
