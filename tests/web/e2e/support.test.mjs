// Asking for support in the browser. Two members become buddies through the
// UI; one presses "I need support now"; the buddy sees the offer in an alert,
// accepts, and both land in their support conversation, where the requester's
// screen names the helper; it ends with thanks. Then a crisis with nobody
// around: the resources at once, "nobody yet" after five minutes of the
// server's (test) clock, supporters coming on duty, one taking it while the
// other is told kindly that someone else has it, a handback, and what a
// moderator sees in the queue (waits, never the note). A buddy who reloads the
// page before answering still has the offer, and being on duty survives a reload.
import { test } from 'node:test';
import {
  startServerAndBrowser, newMember, expectNoForeignRequests, expectNoPageErrors, withArtifacts, DESKTOP,
} from './harness.mjs';
import { alertSaying, assert, becomeBuddies, messageIn, openView, say, signUp } from './ui.mjs';

const { server, browser } = await startServerAndBrowser();

// The requester's "Your request" box (a live region repeats its first sentence for screen readers).
function myRequest(member) {
  return member.page.getByRole('region', { name: 'Your request' });
}

function conversationOf(member) {
  const m = /#\/room\/(~[a-z0-9]+)$/.exec(decodeURIComponent(member.page.url()));
  return m ? m[1] : null;
}

test('a buddy answers a support request and both land in the support conversation', async (t) => {
  const alice = await newMember(browser, server);
  const bob = await newMember(browser, server, { viewport: DESKTOP });
  await withArtifacts(t, [alice, bob], async () => {
    await signUp(alice, server, 'alice');
    await signUp(bob, server, 'bob');
    await becomeBuddies(alice, bob, 'bob', 'alice');
    await openView(bob, 'rooms');

    // Alice asks, from the button that is on every screen.
    await alice.page.getByRole('button', { name: 'I need support now' }).click();
    await alice.page.getByRole('heading', { name: 'Support', level: 1 }).waitFor();
    await alice.page.getByLabel('A craving is hitting now').check();
    await alice.page.getByLabel('A few words (optional)').fill('Payday, and the old crowd is going out.');
    await alice.page.getByRole('button', { name: 'Ask for support' }).click();
    await myRequest(alice).getByText('We are asking your buddies now.').waitFor();
    await alice.page.getByRole('button', { name: 'Withdraw my request' }).waitFor();

    // Bob, her buddy, is alerted (without her words) and accepts.
    const alert = alertSaying(bob, 'alice is asking for support.');
    await alert.waitFor();
    assert.equal(await bob.page.locator('.alerts').getByText('Payday').count(), 0);
    await alert.getByRole('button', { name: 'Open' }).click();
    const offers = bob.page.getByRole('list', { name: 'People asking for support' });
    await offers.getByText('Payday, and the old crowd is going out.').waitFor();
    await offers.getByText('You are their buddy.').waitFor();
    await offers.getByRole('button', { name: "Accept alice's request" }).click();

    // Bob is taken to the conversation; alice's screen names him and takes her there.
    await bob.page.waitForURL(/#\/room\/~/);
    await myRequest(alice).getByText('bob is here for you.').waitFor();
    await alice.page.getByRole('button', { name: 'Go to the conversation' }).click();
    await alice.page.waitForURL(/#\/room\/~/);
    const name = conversationOf(bob);
    assert.ok(name, `bob is not in a conversation: ${bob.page.url()}`);
    assert.equal(conversationOf(alice), name, 'both are in the same conversation');
    await bob.page.getByText('You are supporting alice').waitFor();
    await alice.page.getByRole('region', { name: 'About this support conversation' }).getByText('bob is here for you.').waitFor();

    await say(bob, "Hi alice, I'm here. What's going on tonight?");
    await messageIn(alice, "Hi alice, I'm here. What's going on tonight?");

    // Alice ends it with thanks; bob is told and reads them.
    await openView(alice, 'support');
    await alice.page.getByRole('button', { name: 'End the conversation…' }).click();
    await alice.page.getByLabel('A thank-you for bob (optional)').fill('Thank you for staying with me tonight. 🌱');
    await alice.page.getByRole('button', { name: 'End the conversation', exact: true }).click();
    await alice.page.getByRole('heading', { name: 'Thank you for reaching out' }).waitFor();
    await alice.page.getByText('Your conversation with bob has ended.').waitFor();
    await alice.page.getByRole('button', { name: 'Ask for support' }).waitFor();

    await bob.page.getByText('This support conversation has ended. You can still read it.').waitFor();
    await alertSaying(bob, 'alice ended your conversation and left you a thank-you.')
      .getByRole('button', { name: 'Open' }).click();
    await bob.page.getByText('Thank you for staying with me tonight. 🌱').waitFor();

    for (const m of [alice, bob]) {
      expectNoForeignRequests(m);
      expectNoPageErrors(m);
    }
  });
});

test('a crisis with nobody around: resources at once, nobody yet, supporters on duty, someone else has it', async (t) => {
  const carol = await newMember(browser, server);
  const dan = await newMember(browser, server);
  const erin = await newMember(browser, server, { viewport: DESKTOP });
  const mona = await newMember(browser, server, { viewport: DESKTOP });
  await withArtifacts(t, [carol, dan, erin, mona], async () => {
    await signUp(carol, server, 'carol');
    await signUp(dan, server, 'dan');
    await signUp(erin, server, 'erin');
    await signUp(mona, server, 'mona');
    await server.promote('mona', 'moderator');
    await mona.page.reload();
    await mona.page.getByRole('button', { name: 'I need support now' }).waitFor();

    // Choosing "I'm in crisis" shows where to get help before anything is sent.
    await openView(carol, 'support');
    await carol.page.getByLabel("I'm in crisis").check();
    const help = carol.page.getByRole('region', { name: 'Help you can reach right now' });
    await help.getByText(/988/).first().waitFor();
    await carol.page.getByLabel('A few words (optional)').fill('I can not stop shaking.');
    await carol.page.getByRole('button', { name: 'Ask for support' }).click();
    await myRequest(carol).getByText('We have asked everyone who is on duty to support.').waitFor();
    await help.getByText(/988/).first().waitFor();

    // A moderator sees who waits and for how long, but not the words.
    await openView(mona, 'supporters');
    const queue = mona.page.getByRole('list', { name: 'Waiting for an answer' });
    await queue.getByText('carol').waitFor();
    await queue.getByText('Their words go only to those asked.').waitFor();
    assert.equal(await queue.getByText('I can not stop shaking.').count(), 0);

    // Five minutes with nobody: carol is told honestly, with the resources.
    await server.advance(300_000);
    await myRequest(carol).getByText('Nobody has answered yet.').waitFor();
    await help.getByText(/988/).first().waitFor();
    await carol.page.getByRole('button', { name: 'Withdraw my request' }).waitFor();

    // Two supporters come on duty and are offered it.
    for (const m of [dan, erin]) {
      await openView(m, 'supporters');
      await m.page.getByLabel("I'm available to support").check();
      await m.page.getByRole('list', { name: 'People asking for support' }).getByText('I can not stop shaking.').waitFor();
    }
    await mona.page.getByRole('button', { name: 'Refresh who is waiting' }).click();
    await queue.getByText(/nobody has answered yet/).waitFor();

    // Dan answers first; erin's offer goes away, kindly.
    await dan.page.getByRole('button', { name: "Accept carol's request" }).click();
    await dan.page.waitForURL(/#\/room\/~/);
    await erin.page.getByText('Someone is with carol now. Thank you for being ready.').waitFor();
    await erin.page.getByText('Nobody is asking you right now.').waitFor();
    await myRequest(carol).getByText('dan is here for you.').waitFor();

    // Dan cannot stay and hands carol back: she is told, erin is asked again.
    await dan.page.getByRole('button', { name: 'Hand carol back to the others on duty' }).click();
    await dan.page.getByRole('button', { name: 'Yes, hand back' }).click();
    await myRequest(carol).getByText('dan could not stay, so we are asking the others on duty to support.').waitFor();
    await erin.page.getByRole('list', { name: 'People asking for support' }).getByText('carol').waitFor();

    // The moderator's waiting times count today's request.
    await mona.page.getByText('Waiting times, last 14 days').click();
    const stats = mona.page.getByRole('table', { name: 'Support requests per day (UTC), newest first' });
    await stats.locator('tbody tr').first().waitFor();

    // Carol withdraws; the offer goes from erin's list.
    await carol.page.getByRole('button', { name: 'Withdraw my request' }).click();
    await carol.page.getByRole('button', { name: 'Yes, withdraw it' }).click();
    await carol.page.getByRole('region', { name: 'Thank you for reaching out' }).getByText('You withdrew your request.').waitFor();
    await erin.page.getByText('Nobody is asking you right now.').waitFor();

    for (const m of [carol, dan, erin, mona]) {
      expectNoForeignRequests(m);
      expectNoPageErrors(m);
    }
  });
});

test('after a reload a buddy still sees the standing offer, and being on duty is remembered', async (t) => {
  const gina = await newMember(browser, server);
  const hal = await newMember(browser, server, { viewport: DESKTOP });
  await withArtifacts(t, [gina, hal], async () => {
    await signUp(gina, server, 'gina');
    await signUp(hal, server, 'hal');
    await becomeBuddies(gina, hal, 'hal', 'gina');

    // hal comes on duty; a fresh page reads it back from the server (support.status).
    await openView(hal, 'supporters');
    await hal.page.getByLabel("I'm available to support").check();
    await hal.page.getByText('Thank you. While you are signed in').waitFor();
    await hal.page.reload();
    await hal.page.getByRole('heading', { name: 'Supporters', level: 1 }).waitFor();
    await hal.page.waitForFunction(() => [...document.querySelectorAll('input[type="checkbox"]')]
      .some((c) => c.labels?.[0]?.textContent === "I'm available to support" && c.checked));

    // gina asks; hal, her buddy, is offered it and reloads the page before answering.
    await openView(hal, 'rooms');
    await gina.page.getByRole('button', { name: 'I need support now' }).click();
    await gina.page.getByLabel("I'd like to talk to someone").check();
    await gina.page.getByLabel('A few words (optional)').fill('Rent day. Long evening ahead.');
    await gina.page.getByRole('button', { name: 'Ask for support' }).click();
    await alertSaying(hal, 'gina is asking for support.').waitFor();
    await hal.page.reload();
    await hal.page.getByRole('heading', { name: 'Rooms', level: 1 }).waitFor();
    // The offer is not sent again, but the page learns it from support.status: alert and list.
    await alertSaying(hal, 'gina is asking for support.').getByRole('button', { name: 'Open' }).click();
    const offers = hal.page.getByRole('list', { name: 'People asking for support' });
    await offers.getByText('Rent day. Long evening ahead.').waitFor();
    await offers.getByText('You are their buddy.').waitFor();
    await offers.getByRole('button', { name: "Accept gina's request" }).click();
    await hal.page.waitForURL(/#\/room\/~/);
    await myRequest(gina).getByText('hal is here for you.').waitFor();

    for (const m of [gina, hal]) {
      expectNoForeignRequests(m);
      expectNoPageErrors(m);
    }
  });
});

test('asking for support works with the keyboard alone', async (t) => {
  const kim = await newMember(browser, server);
  await withArtifacts(t, [kim], async () => {
    await signUp(kim, server, 'kim');
    const { page } = kim;
    await page.getByRole('button', { name: 'I need support now' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Support', level: 1 }).waitFor();
    // From the heading, the first stop is the urgency; arrows choose among the three.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('value')), 'talk');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.getByLabel('A craving is hitting now').isChecked(), true);
    await page.keyboard.press('Tab');
    await page.keyboard.type('Rough evening.');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Ask for support');
    await page.keyboard.press('Enter');
    await myRequest(kim).getByText('We have asked everyone who is on duty to support.').waitFor();
    await page.locator('q').getByText('Rough evening.').waitFor();
    expectNoPageErrors(kim);
  });
});
