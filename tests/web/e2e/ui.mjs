// Steps through the browser client's own screens that many e2e tests share:
// signing up and opening a room, the way a person does it (by role and
// accessible name, so a control without a name fails the test).
import assert from 'node:assert/strict';

export const PASSWORD = 'correct horse battery staple';

// Opens the page and creates an account; resolves once the shell shows the member signed in.
export async function signUp(member, server, handle, password = PASSWORD) {
  const { page } = member;
  await page.goto(server.url + '/');
  await page.getByLabel('Handle').fill(handle);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('button', { name: 'I need support now' }).waitFor();
}

export async function logIn(member, server, handle, password = PASSWORD) {
  const { page } = member;
  await page.goto(server.url + '/');
  await page.getByLabel('Handle').fill(handle);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('button', { name: 'I need support now' }).waitFor();
}

// Makes a room from the Rooms screen and waits until it is open.
export async function createRoom(member, name, title, { visibility } = {}) {
  const { page } = member;
  await page.goto(page.url().replace(/#.*$/, '') + '#/rooms');
  await page.getByText('Make a room').click();
  await page.getByLabel('Room name').first().fill(name);
  await page.getByLabel('Title').fill(title);
  if (visibility === 'invite') await page.getByLabel('Who can join').selectOption('invite');
  await page.getByRole('button', { name: 'Make the room' }).click();
  await page.getByRole('heading', { name: title, level: 1 }).waitFor();
}

// Opens a room by its route (joins it when it is open and the member is not in it yet).
export async function openRoom(member, name, title) {
  const { page } = member;
  await page.goto(page.url().replace(/#.*$/, '') + `#/room/${name}`);
  await page.getByRole('heading', { name: title, level: 1 }).waitFor();
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

export { assert };
