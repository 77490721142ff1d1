// The "done when": a new member on a phone-sized screen signs up,
// joins a room, checks in and asks for support, finding each step from what
// the screen says (the start-here card, the button on every screen), with no
// route typed by hand.
import { test } from 'node:test';
import {
  startServerAndBrowser, newMember, expectNoForeignRequests, expectNoPageErrors, withArtifacts,
} from './harness.mjs';
import { say } from './ui.mjs';

const { server, browser } = await startServerAndBrowser();

test('a newcomer on a phone signs up, joins a room, checks in and asks for support', async (t) => {
  const sam = await newMember(browser, server); /* 360 x 740 */
  await withArtifacts(t, [sam], async () => {
    const { page } = sam;
    await page.goto(server.url + '/');
    await page.getByLabel('Handle').fill('sam');
    await page.getByLabel('Password').fill('one day at a time, friend');
    await page.getByRole('button', { name: 'Create account' }).click();

    // The first screen says where to start; the new server's Welcome room is there to join.
    await page.getByRole('heading', { name: 'Welcome. Here is where to start' }).waitFor();
    await page.getByRole('button', { name: 'Join Welcome' }).click();
    await page.getByRole('heading', { name: 'Welcome', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Close: Before you start' }).click();
    await say(sam, 'Hi, I am new. Day 3.');

    // Checking in: from the navigation, the one question that is needed.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Check in', exact: true }).click();
    await page.getByRole('group', { name: 'How are you feeling today?' }).getByRole('radio', { name: '3 Okay' }).check();
    await page.getByRole('button', { name: 'Check in', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Thank you for checking in.' }).waitFor();

    // Asking for support: the button at the top, and a plain answer about what happens now.
    await page.getByRole('button', { name: 'I need support now' }).click();
    await page.getByLabel('A craving is hitting now').check();
    await page.getByRole('button', { name: 'Ask for support' }).click();
    await page.getByRole('region', { name: 'Your request' }).waitFor();
    await page.getByRole('button', { name: 'Withdraw my request' }).waitFor();

    expectNoForeignRequests(sam);
    expectNoPageErrors(sam);
  });
});
