// A meeting in the browser: a host makes a room a meeting room and opens the
// meeting, a member raises a hand, gets the floor with the time left
// counting down, shares, and says Done; the share-time warning and a share
// that runs out are driven by the server's test clock, never by sleeping.
// Then the host sets a weekly schedule and a member finds the meeting on the
// Meetings screen, in their own time with the meeting's zone beside it.
// Someone who comes in mid-meeting sees the format text (from the meeting
// state); the host's editor starts from the room's text and can clear it, and
// the host can take the chair back from the chair they named.
import { test } from 'node:test';
import {
  startServerAndBrowser, newMember, expectNoForeignRequests, expectNoPageErrors, withArtifacts, DESKTOP,
} from './harness.mjs';
import { assert, createRoom, messageIn, navTo, openRoom, say, signUp } from './ui.mjs';

const { server, browser } = await startServerAndBrowser();

const FORMAT = 'Welcome. Raise your hand to share; five minutes each; no cross-talk.';

function panel(member) {
  return member.page.getByRole('region', { name: 'Meeting' });
}

async function timeLeft(member) {
  return (await panel(member).locator('.meeting-time').textContent()).trim();
}

test('a meeting with hands, the floor and timed shares', async (t) => {
  const alice = await newMember(browser, server, { viewport: DESKTOP });
  const bob = await newMember(browser, server);
  await withArtifacts(t, [alice, bob], async () => {
    await signUp(alice, server, 'alice');
    await createRoom(alice, 'circle', 'Evening circle');

    // The host makes the room a meeting room (room.configure) with a format text.
    await alice.page.getByText('Room settings', { exact: true }).click();
    await alice.page.getByText('Meetings and privacy', { exact: true }).click();
    await alice.page.getByLabel(/This is a meeting room/).check();
    await alice.page.getByLabel('Meeting format').fill(FORMAT);
    await alice.page.getByRole('button', { name: 'Save meeting and privacy settings' }).click();
    await panel(alice).waitFor();
    await panel(alice).getByText('Closed', { exact: true }).waitFor();

    await signUp(bob, server, 'bob');
    await openRoom(bob, 'circle', 'Evening circle');
    await panel(bob).getByText('The meeting is closed', { exact: false }).waitFor();
    // A member does not get the buttons of those who run the meeting.
    assert.equal(await panel(bob).getByRole('button', { name: 'Open the meeting' }).count(), 0);

    await panel(alice).getByRole('button', { name: 'Open the meeting' }).click();
    await panel(alice).getByText('Open', { exact: true }).waitFor();
    await panel(bob).getByText('Open', { exact: true }).waitFor();
    // Everyone in the room sees the format text when the meeting opens.
    await panel(bob).getByText(FORMAT).waitFor();

    // One speaker at a time: without the floor bob's post is refused, his words kept.
    await bob.page.getByLabel('Message', { exact: true }).fill('Can I go next?');
    await bob.page.getByLabel('Message', { exact: true }).press('Enter');
    await bob.page.getByText('Only the person who has the floor can post right now').waitFor();
    assert.equal(await bob.page.getByLabel('Message', { exact: true }).inputValue(), 'Can I go next?');
    await bob.page.getByLabel('Message', { exact: true }).fill('');

    // bob raises his hand with the keyboard; the host sees him in the queue and gives him the floor.
    await panel(bob).getByRole('button', { name: 'Raise my hand' }).focus();
    await bob.page.keyboard.press('Enter');
    await panel(bob).getByRole('button', { name: 'Lower my hand' }).waitFor();
    assert.equal(await bob.page.evaluate(() => document.activeElement.textContent), 'Lower my hand');
    const hands = panel(alice).getByRole('list', { name: 'Raised hands' });
    await hands.getByText('bob').waitFor();
    await panel(alice).getByRole('button', { name: 'Give the floor to bob' }).click();

    // bob has the floor, with the time left counting down from share_ends_at.
    await panel(bob).getByText('You have the floor', { exact: true }).waitFor();
    await panel(alice).getByText('bob has the floor', { exact: true }).waitFor();
    // His focus was on the hand button, which gave way: it is on Done now, not lost.
    assert.equal(await bob.page.evaluate(() => document.activeElement.textContent), 'Done');
    const first = await timeLeft(bob);
    assert.match(first, /^[45]:\d\d left$/, `time left at the start of a 5-minute share: ${first}`);
    // Screen readers hear the change of speaker once (not the seconds).
    await alice.page.locator('.meeting-panel [role="status"].sr-only').filter({ hasText: 'bob has the floor.' }).waitFor();
    assert.equal(await panel(bob).getByRole('button', { name: 'Raise my hand' }).count(), 0);

    await say(bob, 'Day 40. Tonight was hard, but I am here.');
    await messageIn(alice, 'Day 40. Tonight was hard, but I am here.');

    // Four minutes later (the server's clock): the speaker is warned, kindly.
    await server.advance(240000);
    await panel(bob).getByText('About a minute left').waitFor();
    const warned = await timeLeft(bob);
    assert.match(warned, /^(1:00|0:[0-5]\d) left$/, `time left after the warning: ${warned}`);

    // bob finishes early with Done: the floor is free and his hand is down.
    await panel(bob).getByRole('button', { name: 'Done' }).click();
    await panel(bob).getByText('Nobody has the floor right now').waitFor();
    await panel(bob).getByRole('button', { name: 'Raise my hand' }).waitFor();
    await panel(alice).getByText('Nobody has the floor').waitFor();
    assert.equal(await panel(bob).getByText('About a minute left').count(), 0);

    // A share that runs its time ends by itself when the server says so.
    await panel(bob).getByRole('button', { name: 'Raise my hand' }).click();
    await panel(alice).getByRole('button', { name: 'Give the floor to bob' }).click();
    await panel(bob).getByText('You have the floor', { exact: true }).waitFor();
    await server.advance(300000);
    await panel(bob).getByText('Nobody has the floor right now').waitFor();
    await panel(alice).getByText('Nobody has the floor').waitFor();

    // The host closes the meeting: the room is an ordinary room again.
    await panel(alice).getByRole('button', { name: 'Close the meeting' }).click();
    await panel(bob).getByText('Closed', { exact: true }).waitFor();
    await say(bob, 'Thank you all.');

    // A restart of the server closes an open meeting; after reconnecting the
    // page asks for the meeting's state again instead of trusting what it had.
    await panel(alice).getByRole('button', { name: 'Open the meeting' }).click();
    await panel(bob).getByText('Open', { exact: true }).waitFor();
    await server.restart();
    await panel(bob).getByText('Closed', { exact: true }).waitFor({ timeout: 20000 });
    await panel(alice).getByRole('button', { name: 'Open the meeting' }).waitFor({ timeout: 20000 });

    for (const m of [alice, bob]) {
      expectNoForeignRequests(m);
      expectNoPageErrors(m);
    }
  });
});

// Waits until an input's value is `want` (a field filled in from the server).
async function valueIs(locator, want) {
  for (let i = 0; i < 200; i += 1) {
    if (await locator.inputValue() === want) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(await locator.inputValue(), want);
}

async function roomSettings(member) {
  await member.page.getByText('Room settings', { exact: true }).click();
  await member.page.getByText('Meetings and privacy', { exact: true }).click();
  return member.page.getByLabel('Meeting format');
}

test('someone who comes in mid-meeting sees the format; the host edits it and chairs again', async (t) => {
  const carol = await newMember(browser, server, { viewport: DESKTOP });
  const dave = await newMember(browser, server);
  const erin = await newMember(browser, server);
  await withArtifacts(t, [carol, dave, erin], async () => {
    const VIGIL = 'We read the preamble, then share in turn.';
    await signUp(carol, server, 'carol');
    await createRoom(carol, 'vigil', 'Night vigil');
    await carol.page.getByText('Room settings', { exact: true }).click();
    await carol.page.getByText('Meetings and privacy', { exact: true }).click();
    await carol.page.getByLabel(/This is a meeting room/).check();
    await carol.page.getByLabel('Meeting format').fill(VIGIL);
    await carol.page.getByRole('button', { name: 'Save meeting and privacy settings' }).click();
    await panel(carol).getByText('Closed', { exact: true }).waitFor();

    // carol names dave chair; dave opens the meeting.
    await signUp(dave, server, 'dave');
    await openRoom(dave, 'vigil', 'Night vigil');
    await panel(carol).getByText('Running the meeting', { exact: true }).click();
    // (dave joined after the panel was drawn: the list is brought up to date when it is used)
    await panel(carol).getByLabel('Chair', { exact: true }).focus();
    await panel(carol).getByLabel('Chair', { exact: true }).selectOption('dave');
    await panel(carol).getByRole('button', { name: 'Name the chair' }).click();
    await panel(dave).getByText('You chair this meeting.').waitFor();
    await panel(carol).getByText('Chair: dave').waitFor();
    await panel(dave).getByRole('button', { name: 'Open the meeting' }).click();
    await panel(dave).getByText(VIGIL).waitFor();

    // erin comes in after it opened: she never got meeting.opened, the state has the format.
    await signUp(erin, server, 'erin');
    await openRoom(erin, 'vigil', 'Night vigil');
    await panel(erin).getByText('Open', { exact: true }).waitFor();
    await panel(erin).getByText(VIGIL).waitFor();

    // The host's editor starts from the text the room has, also on a fresh page.
    await carol.page.reload();
    await carol.page.getByRole('heading', { name: 'Night vigil', level: 1 }).waitFor();
    const format = await roomSettings(carol);
    await valueIs(format, VIGIL);
    // What she sees is what is saved: a changed text, then an explicit clear.
    await format.fill('Be gentle with each other.');
    await carol.page.getByRole('button', { name: 'Save meeting and privacy settings' }).click();
    await panel(erin).getByText('Be gentle with each other.').waitFor();
    await format.fill('');
    await carol.page.getByRole('button', { name: 'Save meeting and privacy settings' }).click();
    await panel(erin).getByText('Be gentle with each other.').waitFor({ state: 'detached' });
    await panel(erin).getByText('How this meeting works').waitFor({ state: 'hidden' });
    await valueIs(format, '');

    // The host takes the chair back: nobody is named, the host chairs again.
    await panel(carol).getByText('Running the meeting', { exact: true }).click();
    await panel(carol).getByRole('button', { name: 'Chair it yourself again' }).click();
    await panel(carol).getByText('You chair this meeting.').waitFor();
    await panel(dave).getByText('Chair: carol').waitFor();
    await panel(carol).getByRole('button', { name: 'Chair it yourself again' }).waitFor({ state: 'hidden' });
    // dave no longer runs it.
    await panel(dave).getByRole('button', { name: 'Close the meeting' }).waitFor({ state: 'hidden' });

    for (const m of [carol, dave, erin]) {
      expectNoForeignRequests(m);
      expectNoPageErrors(m);
    }
  });
});

test('a weekly schedule shows on the Meetings screen in the reader\'s time', async (t) => {
  const hana = await newMember(browser, server, { viewport: DESKTOP });
  const ivan = await newMember(browser, server);
  await withArtifacts(t, [hana, ivan], async () => {
    await signUp(hana, server, 'hana');
    await createRoom(hana, 'morning', 'Morning meeting');
    await hana.page.getByText('Room settings', { exact: true }).click();
    await hana.page.getByText('Meetings and privacy', { exact: true }).click();
    await hana.page.getByLabel(/This is a meeting room/).check();
    await hana.page.getByRole('button', { name: 'Save meeting and privacy settings' }).click();
    await panel(hana).waitFor();

    // The host sets one weekly time, every day at 07:30 New York time.
    await panel(hana).getByText('When we meet', { exact: true }).click();
    await panel(hana).getByRole('button', { name: 'Add a weekly time' }).click();
    const slot = panel(hana).getByRole('group', { name: 'Weekly time 1' });
    for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'])
      await slot.getByLabel(day, { exact: true }).check();
    await slot.getByLabel('Starts at').fill('07:30');
    await slot.getByLabel('How long (minutes)').fill('45');
    await slot.getByLabel('Time zone').selectOption('America/New_York');
    await panel(hana).getByRole('button', { name: 'Save the schedule' }).click();
    await panel(hana).getByText(/Mondays, .*Sundays at 07:30 New York time, for 45 minutes/).waitFor();

    // A zone the server does not know is refused, with its sentence beside the form.
    // (The browser only offers zones it knows, so this is checked by the server tests.)

    // Another member finds it under Meetings, with a link that opens the room.
    await signUp(ivan, server, 'ivan');
    await navTo(ivan, 'Meetings');
    await ivan.page.getByRole('heading', { name: 'Meetings', level: 1 }).waitFor();
    const upcoming = ivan.page.getByRole('region', { name: 'Coming up' });
    await upcoming.getByText('Morning meeting').first().waitFor();
    // The reader's zone here is not New York's, so the meeting's own time is beside it.
    await upcoming.getByText(/in New York/).first().waitFor();
    await upcoming.getByRole('link', { name: 'Go to Morning meeting' }).first().click();
    await ivan.page.getByRole('heading', { name: 'Morning meeting', level: 1 }).waitFor();
    await panel(ivan).getByText('The meeting is closed', { exact: false }).waitFor();

    for (const m of [hana, ivan]) {
      expectNoForeignRequests(m);
      expectNoPageErrors(m);
    }
  });
});
