// Buddies in the browser: a request asked and accepted through the Buddies
// screen, pings that show the sender "Delivered" and then "Seen" (also for a
// ping kept while the buddy was away), two strangers paired through the
// matching pool, and a pairing ended quietly.
import { test } from 'node:test';
import {
  startServerAndBrowser, newMember, expectNoForeignRequests, expectNoPageErrors, withArtifacts, DESKTOP,
} from './harness.mjs';
import { alertSaying, assert, becomeBuddies, buddyCard, openView, signUp } from './ui.mjs';

const { server, browser } = await startServerAndBrowser();

function sentPing(member, text) {
  return member.page.getByRole('list', { name: 'Pings you sent' }).getByRole('listitem').filter({ hasText: text });
}

test('a buddy request is accepted, and a ping shows delivered then seen', async (t) => {
  const alice = await newMember(browser, server);
  const bob = await newMember(browser, server, { viewport: DESKTOP });
  await withArtifacts(t, [alice, bob], async () => {
    await signUp(alice, server, 'alice');
    await signUp(bob, server, 'bob');
    await becomeBuddies(alice, bob, 'bob', 'alice');

    // The request list is gone on both sides, and each sees the other's presence.
    assert.equal(await alice.page.getByRole('list', { name: 'Your requests' }).isVisible(), false);
    await buddyCard(alice, 'bob').getByText('available').waitFor();

    // Bob looks elsewhere: the ping reaches him but he has not seen it yet.
    await openView(bob, 'rooms');
    await buddyCard(alice, 'bob').getByRole('group', { name: 'Send bob a ping' })
      .getByRole('button', { name: 'Thinking of you' }).click();
    await alice.page.getByText('Sent “Thinking of you” to bob.').waitFor();
    const ping = sentPing(alice, 'Thinking of you');
    await ping.getByText('Delivered', { exact: true }).waitFor();

    // Bob gets an alert that says who, and opens it: now it is seen.
    const alert = alertSaying(bob, 'alice is thinking of you.');
    await alert.getByRole('button', { name: 'Open' }).click();
    await bob.page.getByRole('list', { name: 'Pings you received' }).getByText('alice is thinking of you.').waitFor();
    await ping.getByText('Seen', { exact: true }).waitFor();

    // A ping sent while bob is away waits, reaches him when he is back, and is seen when shown.
    await bob.page.close();
    await buddyCard(alice, 'bob').getByText('offline').waitFor();
    const group = buddyCard(alice, 'bob').getByRole('group', { name: 'Send bob a ping' });
    await group.getByRole('button', { name: 'A few words…' }).click();
    await alice.page.getByLabel('A few words for bob').fill('Made it through the party 🌱');
    await buddyCard(alice, 'bob').getByRole('button', { name: 'Send', exact: true }).click();
    const words = sentPing(alice, 'Made it through the party');
    await words.getByText('Not delivered yet').waitFor();

    bob.page = await bob.context.newPage();
    await openView(bob, 'rooms');
    await alertSaying(bob, 'alice sent you a few words.').waitFor();
    // The alert never carries the words themselves.
    assert.equal(await bob.page.locator('.alerts').getByText('Made it through the party').count(), 0);
    await words.getByText('Delivered', { exact: true }).waitFor();
    await openView(bob, 'buddies');
    await bob.page.getByRole('list', { name: 'Pings you received' }).getByText('Made it through the party 🌱').waitFor();
    await words.getByText('Seen', { exact: true }).waitFor();

    for (const m of [alice, bob]) {
      expectNoForeignRequests(m);
      expectNoPageErrors(m);
    }
  });
});

test('two members find each other through the matching pool', async (t) => {
  const carol = await newMember(browser, server);
  const dan = await newMember(browser, server);
  await withArtifacts(t, [carol, dan], async () => {
    await signUp(carol, server, 'carol');
    await signUp(dan, server, 'dan');

    for (const m of [carol, dan]) {
      await openView(m, 'buddies');
      await m.page.getByLabel('Your approach to recovery').selectOption('any');
      await m.page.getByRole('button', { name: 'Join the matching pool' }).click();
    }
    // Both are proposed to each other, with a deadline.
    await carol.page.getByRole('group', { name: 'Suggested buddy: dan' }).getByText(/Please answer/).waitFor();
    await dan.page.getByRole('group', { name: 'Suggested buddy: carol' }).waitFor();

    await carol.page.getByRole('button', { name: 'Accept dan as your buddy' }).click();
    await carol.page.getByText('You said yes. Waiting for dan to answer.').waitFor();
    await dan.page.getByRole('button', { name: 'Accept carol as your buddy' }).click();

    await buddyCard(carol, 'dan').waitFor();
    await buddyCard(dan, 'carol').waitFor();
    await carol.page.getByRole('button', { name: 'Join the matching pool' }).waitFor();

    // Ending a pairing is quiet: dan's list simply no longer has carol.
    await buddyCard(carol, 'dan').getByRole('button', { name: 'End pairing with dan' }).click();
    await carol.page.getByRole('button', { name: 'Yes, end it' }).click();
    await carol.page.getByText('No buddies yet.').waitFor();
    await dan.page.getByText('No buddies yet.').waitFor();

    for (const m of [carol, dan]) {
      expectNoForeignRequests(m);
      expectNoPageErrors(m);
    }
  });
});

test('asking someone who does not exist says so beside the field', async (t) => {
  const erin = await newMember(browser, server);
  await withArtifacts(t, [erin], async () => {
    await signUp(erin, server, 'erin');
    await openView(erin, 'buddies');
    await erin.page.getByLabel('Their handle').fill('nobody-here');
    await erin.page.getByRole('button', { name: 'Ask to be buddies' }).click();
    const handle = erin.page.getByLabel('Their handle');
    const describedBy = await handle.getAttribute('aria-describedby');
    const errorId = describedBy.split(' ').pop();
    await erin.page.locator(`[id="${errorId}"]`).filter({ hasText: /\S/ }).waitFor();
    await erin.page.getByLabel('Their handle').fill('erin');
    await erin.page.getByRole('button', { name: 'Ask to be buddies' }).click();
    await erin.page.locator(`[id="${errorId}"]`).getByText("You can't be your own buddy.").waitFor();
    expectNoPageErrors(erin);
  });
});

// A member whose link to the server the test can cut and restore: their
// WebSocket goes through Playwright, which closes it (and refuses new ones)
// while the link is down. (context.setOffline does not close an open
// WebSocket in chromium.)
async function cuttable(member) {
  const link = { down: false, open: new Set() };
  await member.context.routeWebSocket(/\/ws$/, (ws) => {
    if (link.down) {
      ws.close({ code: 1001, reason: 'test: link down' });
      return;
    }
    const upstream = ws.connectToServer();
    link.open.add({ ws, upstream });
  });
  link.cut = async () => {
    link.down = true;
    for (const { ws, upstream } of link.open) {
      await ws.close({ code: 1001, reason: 'test: link down' });
      await upstream.close();
    }
    link.open.clear();
  };
  link.restore = () => { link.down = false; };
  return link;
}

test('after a spell offline: a ping waits and goes once, and missed requests show up', async (t) => {
  const gus = await newMember(browser, server);
  const hal = await newMember(browser, server);
  const ivy = await newMember(browser, server);
  const halLink = await cuttable(hal);
  await withArtifacts(t, [gus, hal, ivy], async () => {
    await signUp(gus, server, 'gus');
    await signUp(hal, server, 'hal');
    await signUp(ivy, server, 'ivy');
    await becomeBuddies(gus, hal, 'hal', 'gus');
    await openView(gus, 'rooms');

    await halLink.cut();
    await hal.page.getByText('The connection to Hearth dropped').waitFor();
    await buddyCard(hal, 'gus').getByRole('button', { name: 'Thinking of you' }).click();
    await hal.page.getByText("You're offline; “Thinking of you” will go to gus when you're back.").waitFor();

    // Ivy asks hal while he is away: the live event is missed, the list has it.
    await openView(ivy, 'buddies');
    await ivy.page.getByLabel('Their handle').fill('hal');
    await ivy.page.getByRole('button', { name: 'Ask to be buddies' }).click();
    await ivy.page.getByText('We asked hal.').waitFor();

    halLink.restore();
    await hal.page.getByRole('list', { name: 'Requests for you' }).getByText('ivy').waitFor({ timeout: 30000 });
    await alertSaying(gus, 'hal is thinking of you.').waitFor();
    await sentPing(hal, 'Thinking of you').getByText('Delivered', { exact: true }).waitFor();
    assert.equal(await sentPing(hal, 'Thinking of you').count(), 1, 'the ping went once');
    expectNoPageErrors(hal);
  });
});
