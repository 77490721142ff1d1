// Two members chat in two browser contexts: rooms, presence, history that
// loads as you scroll up, and a message refused with the reason beside the
// composer while the draft stays.
import { test } from 'node:test';
import {
  startServerAndBrowser, newMember, expectNoForeignRequests, expectNoPageErrors, withArtifacts, DESKTOP,
} from './harness.mjs';
import {
  assert, createRoom, messageIn, messages, navTo, openRoom, openView, say, signUp,
} from './ui.mjs';

const { server, browser } = await startServerAndBrowser();

test('two members chat in a room and see each other', async (t) => {
  const alice = await newMember(browser, server);
  const bob = await newMember(browser, server, { viewport: DESKTOP });
  await withArtifacts(t, [alice, bob], async () => {
    await signUp(alice, server, 'alice');
    await signUp(bob, server, 'Bob');
    await createRoom(alice, 'porch', 'The porch');
    await say(alice, 'Morning, anyone around?');

    await navTo(bob, 'Rooms');
    await bob.page.getByRole('button', { name: 'Join The porch' }).click();
    await bob.page.getByRole('heading', { name: 'The porch', level: 1 }).waitFor();
    await messageIn(bob, 'Morning, anyone around?');
    await say(bob, 'Here! Day 12 for me.');
    await messageIn(alice, 'Here! Day 12 for me.');
    await messages(alice).getByText('bob joined').waitFor();

    // Presence: bob sees alice, and her status when she changes it.
    const whoIsHere = bob.page.locator('.members-box');
    await whoIsHere.getByText('alice', { exact: true }).waitFor();
    await openView(alice, 'rooms');
    await alice.page.getByLabel('Your status').selectOption('busy');
    await whoIsHere.locator('li.member', { hasText: 'alice' }).getByText('busy', { exact: true }).waitFor();

    // Away from the room, the list marks it "new" once something was said there.
    await openView(bob, 'rooms');
    await bob.page.getByRole('link', { name: 'The porch', exact: true }).waitFor();
    await openRoom(alice, 'porch', 'The porch');
    await say(alice, 'Coffee time.');
    await bob.page.getByRole('link', { name: 'The porch new' }).waitFor();
    await bob.page.getByRole('link', { name: 'The porch new' }).click();
    await messageIn(bob, 'Coffee time.');

    // Text from people is text: markup in a message is shown, never run.
    await say(bob, '<img src=x onerror=alert(1)> is just text');
    assert.equal(await alice.page.locator('.log img').count(), 0);

    for (const m of [alice, bob]) {
      expectNoForeignRequests(m);
      expectNoPageErrors(m);
    }
  });
});

test('history loads as you scroll up', async (t) => {
  const carol = await newMember(browser, server);
  const dan = await newMember(browser, server);
  await withArtifacts(t, [carol, dan], async () => {
    await signUp(carol, server, 'carol');
    await createRoom(carol, 'long-talk', 'Long talk');
    for (let i = 1; i <= 60; i++) await say(carol, `note ${i}`);

    await signUp(dan, server, 'dan');
    await openRoom(dan, 'long-talk', 'Long talk');
    await messageIn(dan, 'note 60');
    // The first page holds the newest 50 events: the oldest notes are not there yet.
    assert.equal(await messages(dan).getByText('note 1', { exact: true }).count(), 0);
    await dan.page.locator('.log-scroll').evaluate((el) => { el.scrollTop = 0; });
    await messages(dan).getByText('note 1', { exact: true }).waitFor();
    await messages(dan).getByText('carol joined').waitFor();
  });
});

test('a refused message keeps its draft and says why', async (t) => {
  const erin = await newMember(browser, server);
  await withArtifacts(t, [erin], async () => {
    await signUp(erin, server, 'erin');
    await openRoom(erin, 'porch', 'The porch');
    const tooLong = 'x'.repeat(4001);
    await erin.page.getByLabel('Message', { exact: true }).fill(tooLong);
    await erin.page.getByRole('button', { name: 'Send' }).click();
    await erin.page.locator('.composer').getByRole('alert').getByText(/must be between 1 and 4000 characters/).waitFor();
    assert.equal(await erin.page.getByLabel('Message', { exact: true }).inputValue(), tooLong);
  });
});
