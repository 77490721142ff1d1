// Steps through the browser client's own screens that many e2e tests share:
// signing up, moving around, opening a room, becoming buddies, the way a
// person does it (by role and accessible name, so a control without a name
// fails the test). `member` is what harness.mjs's newMember returns (only its
// page is used).
import assert from 'node:assert/strict';

export const PASSWORD = 'correct horse battery staple';

// Fills in the sign-in screen's form and presses `button`.
async function sendSignInForm(member, handle, password, button) {
  const { page } = member;
  await page.getByLabel('Handle').fill(handle);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: button }).click();
}

async function waitSignedIn(member) {
  await member.page.getByRole('button', { name: 'I need support now' }).waitFor();
}

// Opens the page and creates an account; resolves once the shell shows the member signed in.
export async function signUp(member, server, handle, password = PASSWORD) {
  await member.page.goto(server.url + '/');
  await sendSignInForm(member, handle, password, 'Create account');
  await waitSignedIn(member);
}

// Opens the page and logs in; resolves once the shell shows the member signed in.
export async function logIn(member, server, handle, password = PASSWORD) {
  await member.page.goto(server.url + '/');
  await tryLogIn(member, handle, password);
  await waitSignedIn(member);
}

// Tries a login on the sign-in screen already shown, and does not wait for
// the outcome (it may fail on purpose): the caller waits for what it expects.
export async function tryLogIn(member, handle, password = PASSWORD) {
  await sendSignInForm(member, handle, password, 'Log in');
}

// Opens a view by its route, #/<view>. With {fresh: true} it goes through
// #/rooms first, so that a view already open is built afresh (views load what
// they show each time they open).
export async function openView(member, view, { fresh = false } = {}) {
  const { page } = member;
  if (fresh) await page.goto('/#/rooms');
  await page.goto(`/#/${view}`);
}

// Follows a link of the main navigation (always shown: a strip of links on a
// phone, a sidebar on a desktop).
export async function navTo(member, name) {
  await member.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
}

// Makes a room from the Rooms screen and waits until it is open.
export async function createRoom(member, name, title, { visibility } = {}) {
  const { page } = member;
  await openView(member, 'rooms');
  await page.getByText('Make a room').click();
  await page.getByLabel('Room name').first().fill(name);
  await page.getByLabel('Title').fill(title);
  if (visibility === 'invite') await page.getByLabel('Who can join').selectOption('invite');
  await page.getByRole('button', { name: 'Make the room' }).click();
  await page.getByRole('heading', { name: title, level: 1 }).waitFor();
}

// Opens a room by its route (joins it when it is open and the member is not in it yet).
export async function openRoom(member, name, title) {
  await openView(member, `room/${name}`);
  await member.page.getByRole('heading', { name: title, level: 1 }).waitFor();
}

// Sends a message from the composer and waits until the server has echoed it.
export async function say(member, text) {
  const { page } = member;
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByLabel('Message', { exact: true }).press('Enter');
  await messageIn(member, text);
}

export function messages(member) {
  return member.page.getByRole('list', { name: 'Messages' });
}

export async function messageIn(member, text) {
  await messages(member).locator('li.msg:not(.pending)').filter({ hasText: text }).first().waitFor();
}

// An alert of the shell (top of every screen) that says `text`.
export function alertSaying(member, text) {
  return member.page.locator('.alert').filter({ hasText: text });
}

// The card of buddy `handle` in the member's "Your buddies" list.
export function buddyCard(member, handle) {
  return member.page.getByRole('list', { name: 'Your buddies' }).getByRole('listitem').filter({
    has: member.page.getByRole('heading', { name: handle, level: 3 }),
  });
}

// Two members become buddies the way people do: one asks by handle on the
// Buddies screen, the other opens the alert and accepts; resolves once each
// has the other in their list.
export async function becomeBuddies(asker, asked, askedHandle, askerHandle) {
  await openView(asker, 'buddies');
  await asker.page.getByLabel('Their handle').fill(askedHandle);
  await asker.page.getByRole('button', { name: 'Ask to be buddies' }).click();
  await asker.page.getByText(`We asked ${askedHandle}.`).waitFor();
  await asker.page.getByRole('list', { name: 'Your requests' }).getByText(askedHandle).waitFor();

  await alertSaying(asked, `${askerHandle} would like to be your buddy.`).getByRole('button', { name: 'Open' }).click();
  await asked.page.getByRole('button', { name: `Accept ${askerHandle} as your buddy` }).click();
  await buddyCard(asked, askerHandle).waitFor();
  await buddyCard(asker, askedHandle).waitFor();
}

export { assert };
