// When the link drops the page says so, reconnects by itself and fills in
// what was missed: across a server restart, and across a spell offline while
// the room went on without this member.
import { test } from 'node:test';
import { startServerAndBrowser, newMember, expectNoPageErrors, withArtifacts } from './harness.mjs';
import { assert, createRoom, messageIn, openRoom, say, signUp } from './ui.mjs';

const { server, browser } = await startServerAndBrowser();

const DROPPED = 'The connection to Hearth dropped';

test('the page reconnects after the server restarts and stays signed in', async (t) => {
  const alice = await newMember(browser, server);
  const bob = await newMember(browser, server);
  await withArtifacts(t, [alice, bob], async () => {
    await signUp(alice, server, 'alice');
    await signUp(bob, server, 'bob');
    await createRoom(alice, 'porch', 'The porch');
    await openRoom(bob, 'porch', 'The porch');
    await say(alice, 'before the restart');
    await messageIn(bob, 'before the restart');

    await server.restart();
    await alice.page.getByText(DROPPED).waitFor();

    // Back by itself: the banner goes, and the room works again for both.
    await alice.page.getByText(DROPPED).waitFor({ state: 'hidden', timeout: 30000 });
    await bob.page.getByText(DROPPED).waitFor({ state: 'hidden', timeout: 30000 });
    await say(bob, 'after the restart');
    await messageIn(alice, 'after the restart');
    assert.equal(await alice.page.getByRole('button', { name: 'Create account' }).count(), 0);

    // A reload keeps the member signed in on this device (the token is kept).
    await alice.page.reload();
    await alice.page.getByRole('heading', { name: 'The porch', level: 1 }).waitFor();
    await messageIn(alice, 'after the restart');
    expectNoPageErrors(alice);
  });
});

test('messages sent while a member was offline are filled in when the link is back', async (t) => {
  const carol = await newMember(browser, server);
  const dan = await newMember(browser, server);
  await withArtifacts(t, [carol, dan], async () => {
    await signUp(carol, server, 'carol');
    await signUp(dan, server, 'dan');
    await createRoom(carol, 'kitchen', 'Kitchen table');
    await openRoom(dan, 'kitchen', 'Kitchen table');

    await dan.context.setOffline(true);
    await dan.page.getByText(DROPPED).waitFor();
    await say(carol, 'you missed this one');
    await say(carol, 'and this one');
    // A message written while offline waits, and goes once the link is back.
    await dan.page.getByLabel('Message', { exact: true }).fill('typed on the train');
    await dan.page.getByLabel('Message', { exact: true }).press('Enter');
    await dan.page.getByText('Waiting for the connection').waitFor();

    await dan.context.setOffline(false);
    await messageIn(dan, 'you missed this one');
    await messageIn(dan, 'and this one');
    await messageIn(carol, 'typed on the train');
    // Exactly once each, in order.
    const texts = await dan.page.locator('.log li.msg .msg-text').allTextContents();
    assert.deepEqual(texts.filter((x) => x !== 'typed on the train'), ['you missed this one', 'and this one']);
    assert.equal(texts.filter((x) => x === 'typed on the train').length, 1);
  });
});
