// Delivered and seen in a private conversation: the sender sees "Delivered"
// once the message reached the buddy's browser and "Seen by ..." once the
// buddy had the conversation on screen; turning read receipts off stops it.
import { test } from 'node:test';
import { startServerAndBrowser, newMember, withArtifacts, DESKTOP } from './harness.mjs';
import { assert, becomeBuddies, messageIn, navTo, openView, say, signUp } from './ui.mjs';

const { server, browser } = await startServerAndBrowser();

test('a buddy conversation shows delivered, then seen', async (t) => {
  const alice = await newMember(browser, server);
  const bob = await newMember(browser, server, { viewport: DESKTOP });
  await withArtifacts(t, [alice, bob], async () => {
    await signUp(alice, server, 'alice');
    await signUp(bob, server, 'bob');
    await becomeBuddies(alice, bob, 'bob', 'alice');

    await alice.page.getByRole('button', { name: 'Message bob' }).click();
    await alice.page.getByRole('heading', { name: /bob/, level: 1 }).waitFor();
    // Bob is signed in but on another screen: it reaches his browser, he has not seen it.
    await openView(bob, 'rooms');
    await say(alice, 'Are you around tonight?');
    const log = alice.page.getByRole('list', { name: 'Messages' });
    await log.getByText('Delivered', { exact: true }).waitFor();

    await navTo(bob, 'Buddies');
    await bob.page.getByRole('button', { name: 'Message alice' }).click();
    await messageIn(bob, 'Are you around tonight?');
    await log.getByText('Seen by bob', { exact: true }).waitFor();

    // A new message starts again from "Delivered" while bob has it open: seen at once.
    await say(alice, 'Call me after 8?');
    await log.getByText('Seen by bob', { exact: true }).waitFor();
  });
});

test('with read receipts off, neither buddy sees "seen"', async (t) => {
  const carol = await newMember(browser, server);
  const dan = await newMember(browser, server, { viewport: DESKTOP });
  await withArtifacts(t, [carol, dan], async () => {
    await signUp(carol, server, 'carol');
    await signUp(dan, server, 'dan');
    await becomeBuddies(carol, dan, 'dan', 'carol');

    await navTo(dan, 'Settings');
    await dan.page.getByLabel('Show when I have read a conversation').uncheck();
    await dan.page.getByRole('button', { name: 'Save conversation settings' }).click();
    await dan.page.getByRole('form', { name: 'Private conversations' }).getByText('Saved.').waitFor();

    await carol.page.getByRole('button', { name: 'Message dan' }).click();
    await say(carol, 'Made it through the party.');
    await navTo(dan, 'Buddies');
    await dan.page.getByRole('button', { name: 'Message carol' }).click();
    await messageIn(dan, 'Made it through the party.');
    await say(dan, 'So proud of you.');
    // Dan has read carol's message, but she only learns it reached him.
    const log = carol.page.getByRole('list', { name: 'Messages' });
    await messageIn(carol, 'So proud of you.');
    await say(carol, 'Thanks!');
    await log.getByText('Delivered', { exact: true }).waitFor();
    // Dan's page said it read "Thanks!" before his next message went out, so
    // any receipt would be here by the time that message is.
    await messageIn(dan, 'Thanks!');
    await say(dan, 'x');
    await messageIn(carol, 'x');
    assert.equal(await log.getByText(/^Seen by/).count(), 0);
  });
});
