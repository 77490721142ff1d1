// End-to-end: the daily check-in and what grows from it (PROTOCOL.md 5.73-5.84,
// 23). A member checks in with the form in well under a minute, finds it in
// their history and journal with a streak; a check-in with enough warning
// signs brings up their own plan, card and the crisis resources, kindly; a
// plan too big for one frame is refused in plain words before it is sent;
// clean time counts from a date and a new start keeps the old days. Days move
// with the server's test clock, never by sleeping.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServerAndBrowser, newMember, expectNoForeignRequests, expectNoPageErrors, withArtifacts, DESKTOP,
} from './harness.mjs';
import { PASSWORD, createRoom, messageIn, messages, navTo, openView, signUp, tryLogIn } from './ui.mjs';

const DAY_MS = 86_400_000;

const { server, browser } = await startServerAndBrowser();

test('a check-in takes under a minute and shows up in history, the journal and the streak', async (t) => {
  const member = await newMember(browser, server);
  const { page } = member;
  await withArtifacts(t, [member], async () => {
    await signUp(member, server, 'mira');
    await navTo(member, 'Check in');

    const started = Date.now();
    const mood = page.getByRole('group', { name: 'How are you feeling today?' });
    await mood.getByRole('radio', { name: '4 Good' }).check();
    await page.getByRole('group', { name: 'Craving today' }).getByRole('radio', { name: '2', exact: true }).check();
    await page.getByRole('checkbox', { name: 'High stress' }).check();
    await page.getByLabel('Something you are grateful for').fill('My sister called. 🌱');
    await page.getByLabel('Today’s win, big or small').fill('Went to the Tuesday meeting.');
    await page.getByLabel('A private note').fill('Payday tomorrow; plan the route home.');
    // Who will see it is said before sending: private by default, the note always.
    await assert.doesNotReject(page.getByText('Only you will see this check-in.').waitFor());
    await assert.doesNotReject(page.getByText('Only you will ever see this note').waitFor());
    await page.getByRole('button', { name: 'Check in', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Thank you for checking in.' }).waitFor();
    assert.ok(Date.now() - started < 60_000, 'the check-in took more than a minute');

    await page.getByText('1 day of check-ins in a row').waitFor();
    // Checking in again the same day replaces it, and says so.
    await page.getByText(/You checked in today at/).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Update today’s check-in' }).count(), 1);

    // The next day, by the server's clock: a fresh form, and the streak grows.
    await server.advance(DAY_MS);
    await openView(member, 'checkin', { fresh: true });
    await page.getByRole('button', { name: 'Check in', exact: true }).waitFor();
    await page.waitForFunction(() => !document.querySelector('input[name="mood"]:checked'));
    assert.equal(await page.getByText(/You checked in today at/).isVisible(), false);
    await page.getByRole('radio', { name: '3 Okay' }).check();
    await page.getByLabel('Today’s win, big or small').fill('Cooked dinner.');
    await page.getByRole('button', { name: 'Check in', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'That is 2 days in a row.' }).waitFor();
    await page.getByText('2 days of check-ins in a row').waitFor();

    await page.getByRole('link', { name: 'Your check-ins and journal' }).click();
    await page.getByRole('heading', { name: 'Your check-ins', level: 1 }).waitFor();
    await page.getByText('Your check-in streak: 2 days in a row.').waitFor();
    const days = page.getByRole('region', { name: 'Day by day' }).getByRole('listitem');
    await assert.doesNotReject(days.nth(1).waitFor());
    assert.equal(await days.count(), 2);
    await assert.doesNotReject(days.nth(0).getByText('Mood: Okay (3 of 5)').waitFor());
    await assert.doesNotReject(days.nth(1).getByText('Mood: Good (4 of 5) · Craving: 2 of 10').waitFor());
    await assert.doesNotReject(days.nth(1).getByText('Payday tomorrow; plan the route home.').waitFor());
    await assert.doesNotReject(days.nth(1).getByText('High stress').waitFor());

    const journal = page.getByRole('region', { name: 'Gratitude journal' });
    await journal.getByText('Cooked dinner.').waitFor();
    await assert.doesNotReject(journal.getByText('My sister called. 🌱').waitFor());
    await assert.doesNotReject(journal.getByText('Went to the Tuesday meeting.').waitFor());

    // The charts say in words what they draw, and the table holds the numbers.
    const moodChart = page.getByRole('img', { name: /^Mood from/ });
    assert.match(await moodChart.getAttribute('aria-label'), /2 check-ins, lowest 3, highest 4, average 3\.5 of 5/);
    assert.match(await page.getByRole('img', { name: /^Craving from/ }).getAttribute('aria-label'), /said on 1 day/);
    await page.getByText('Show these days as a table').click();
    await assert.doesNotReject(page.getByRole('cell', { name: '4 (good)' }).waitFor());

    expectNoForeignRequests(member);
    expectNoPageErrors(member);
  });
  await member.context.close();
});

test('a check-in with enough warning signs brings up the plan, the card and help, kindly', async (t) => {
  const member = await newMember(browser, server, { viewport: DESKTOP });
  const { page } = member;
  await withArtifacts(t, [member], async () => {
    await signUp(member, server, 'noor');
    await navTo(member, 'Plan');

    // The card: one person to call.
    await page.getByRole('button', { name: 'Edit the people on your card' }).click();
    await page.getByRole('textbox', { name: 'Name, person 1' }).fill('Sam (sponsor)');
    await page.getByRole('textbox', { name: 'Phone, person 1' }).fill('+1 555 0100');
    await page.getByRole('textbox', { name: 'Note, person 1' }).fill('Any time, day or night');
    await page.getByRole('button', { name: 'Save card' }).click();
    await page.getByText('Your card is saved.').waitFor();

    // The plan: one line and one reason.
    await page.getByRole('button', { name: 'Edit your plan' }).click();
    await page.getByRole('textbox', { name: 'When, line 1' }).fill('I walk past the old bar on payday');
    await page.getByRole('textbox', { name: 'I will, line 1' }).fill('I take the other street and call Sam');
    await page.getByRole('textbox', { name: 'Reason 1' }).fill('My kids');
    await page.getByRole('button', { name: 'Save plan' }).click();
    await page.getByText('Your plan is saved.').waitFor();

    // A hard day: three signs reach the default threshold.
    await navTo(member, 'Check in');
    await page.getByRole('radio', { name: '2 Low' }).check();
    await page.getByRole('group', { name: 'Craving today' }).getByRole('radio', { name: '7', exact: true }).check();
    for (const sign of ['Isolating', 'Skipping meetings or support', 'High stress']) {
      await page.getByRole('checkbox', { name: sign }).check();
    }
    await page.getByLabel('A private note').fill('Didn’t leave the flat.');
    await page.getByRole('button', { name: 'Check in', exact: true }).click();

    const panel = page.getByRole('region', { name: 'This looks like a hard day' });
    await panel.waitFor();
    // Focus goes to it, so a keyboard or screen-reader user meets it at once.
    await page.waitForFunction(() => document.activeElement?.textContent === 'This looks like a hard day');
    await assert.doesNotReject(panel.getByText('Thank you for being honest about it.').waitFor());
    await assert.doesNotReject(panel.getByText('Here is what you planned for days like this:').waitFor());
    await assert.doesNotReject(panel.getByText('I walk past the old bar on payday').waitFor());
    await assert.doesNotReject(panel.getByText('I take the other street and call Sam').waitFor());
    await assert.doesNotReject(panel.getByText('My kids').waitFor());
    await assert.doesNotReject(panel.getByText('Sam (sponsor)').waitFor());
    assert.equal(await panel.getByRole('link', { name: '+1 555 0100' }).getAttribute('href'), 'tel:+15550100');
    await assert.doesNotReject(panel.getByText(/988/).first().waitFor());
    await assert.doesNotReject(panel.getByRole('button', { name: 'Talk to someone now' }).waitFor());

    // The warning comes from the member's own threshold: raise it, and the same day is not one.
    await navTo(member, 'Settings');
    await page.getByLabel('A hard day is when I notice').selectOption('4');
    await page.getByRole('button', { name: 'Save check-in settings' }).click();
    await page.getByRole('form', { name: 'Check-ins' }).getByText('Saved.').waitFor();
    await navTo(member, 'Check in');
    await page.getByRole('button', { name: 'Update today’s check-in' }).click();
    await page.getByRole('status').filter({ hasText: 'Today’s check-in is updated.' }).waitFor();
    assert.equal(await panel.count(), 0);

    expectNoForeignRequests(member);
    expectNoPageErrors(member);
  });
  await member.context.close();
});

test('a plan too big to send is refused in plain words, and nothing is lost', async (t) => {
  const member = await newMember(browser, server, { viewport: DESKTOP });
  const { page } = member;
  await withArtifacts(t, [member], async () => {
    await signUp(member, server, 'odile');
    await navTo(member, 'Plan');
    await page.getByRole('button', { name: 'Edit your plan' }).click();
    // 28 lines of 300 four-byte characters each side: within every per-line
    // limit, but about 67 KB together, more than one 64 KiB frame.
    const long = '🌱'.repeat(300);
    for (let i = 1; i <= 28; i++) {
      if (i > 1) await page.getByRole('button', { name: 'Add a line' }).click();
      await page.getByRole('textbox', { name: `When, line ${i}`, exact: true }).fill(long);
      await page.getByRole('textbox', { name: `I will, line ${i}`, exact: true }).fill(long);
    }
    await page.getByRole('button', { name: 'Save plan' }).click();
    await page.getByText(/Your plan is too long to save in one go/).waitFor();
    await assert.doesNotReject(page.getByText(/Nothing was lost/).waitFor());
    assert.equal(await page.getByRole('textbox', { name: 'When, line 28', exact: true }).inputValue(), long);

    // Removing a few lines makes it fit.
    for (let i = 28; i > 24; i--) await page.getByRole('button', { name: `Remove line ${i}`, exact: true }).click();
    await page.getByRole('button', { name: 'Save plan' }).click();
    await page.getByText('Your plan is saved.').waitFor();
    assert.equal(await page.getByRole('region', { name: 'Trigger action plan' }).getByRole('listitem').count(), 24);
    expectNoPageErrors(member);
  });
  await member.context.close();
});

test('clean time counts from a date, a milestone is celebrated, and a new start keeps the old days', async (t) => {
  const member = await newMember(browser, server);
  const { page } = member;
  await withArtifacts(t, [member], async () => {
    await signUp(member, server, 'pavel');
    await openView(member, 'cleantime', { fresh: true });
    await page.getByText('You are not counting clean time right now.').waitFor();
    const date = page.getByLabel('Your sobriety date');
    const today = await date.getAttribute('max');
    assert.match(today, /^\d{4}-\d{2}-\d{2}$/);
    await date.fill(today);
    await page.getByRole('button', { name: 'Start counting' }).click();
    await page.getByText('Day 0. Every journey starts somewhere, and yours starts today.').waitFor();
    await assert.doesNotReject(page.getByText(/Your next milestone is 1 day/).waitFor());

    // The next day the server tells the member of their first milestone, and a week later of the next.
    await server.advance(DAY_MS + 3_600_000);
    await page.getByText('You reached 1 day clean today.', { exact: false }).waitFor();
    await server.advance(6 * DAY_MS);
    await page.getByText('You reached 1 week clean today.', { exact: false }).waitFor();

    // A new start today (the old period ends yesterday, day 6): it is kept in the member's own history, in kind words.
    await openView(member, 'cleantime', { fresh: true });
    await page.getByText('7 days clean', { exact: true }).waitFor();
    await assert.doesNotReject(page.getByRole('region', { name: 'Milestones you reached' }).getByText('1 week').waitFor());
    const newToday = await date.getAttribute('max');
    assert.notEqual(newToday, today);
    await date.fill(newToday);
    await page.getByRole('button', { name: 'Save new date' }).click();
    await page.getByText('A new start. The 6 days you counted before are kept in your history, and they still count.').waitFor();
    const history = page.getByRole('region', { name: 'Your earlier clean time' });
    await assert.doesNotReject(history.getByText(/^6 days, from /).waitFor());
    await assert.doesNotReject(page.getByText('0 days clean', { exact: true }).waitFor());
    // A date after today is refused next to the date, kindly.
    const next = new Date(`${newToday}T00:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 2);
    await date.fill(next.toISOString().slice(0, 10));
    await page.getByRole('button', { name: 'Save new date' }).click();
    await page.getByText('That date is after today. Choose today or a day before.').waitFor();
    expectNoPageErrors(member);
  });
  await member.context.close();
});

/*
 * Runs requests on a raw WebSocket of its own from inside a page (the
 * browser's WebSocket, the page's origin): for a second person who is not
 * on screen. Returns each result's data; throws on an error reply.
 */
async function protocol(page, requests) {
  return page.evaluate(async (reqs) => {
    const url = new URL('/ws', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(url.href, 'hearth.v1');
    const waiting = new Map();
    ws.onmessage = (e) => {
      const msgs = [].concat(JSON.parse(e.data));
      for (const m of msgs) if (m.id && waiting.has(m.id)) waiting.get(m.id)(m);
    };
    await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
    const out = [];
    let n = 0;
    for (const req of reqs) {
      const id = String(++n);
      const fields = { ...req };
      // "$today": the day of the server's clock, in UTC (a new account's zone).
      for (const [k, v] of Object.entries(fields)) if (v === '$today') fields[k] = new Date(out.at(-1).ts).toISOString().slice(0, 10);
      const reply = await new Promise((resolve) => { waiting.set(id, resolve); ws.send(JSON.stringify({ ...fields, id })); });
      if (reply.type === 'error') throw new Error(`${req.type}: ${reply.code} ${reply.message}`);
      out.push(reply.data);
    }
    ws.close(1000);
    return out;
  }, requests);
}

test('a buddy’s check-in, hard day, milestone and quiet spell arrive as gentle news', async (t) => {
  const alice = await newMember(browser, server, { viewport: DESKTOP });
  const bob = await newMember(browser, server);
  await withArtifacts(t, [alice, bob], async () => {
    await signUp(alice, server, 'tamsin');
    await bob.page.goto('/');
    await protocol(bob.page, [
      { type: 'auth.register', handle: 'ugo', password: PASSWORD },
      { type: 'buddy.request', handle: 'tamsin' },
    ]);
    await protocol(alice.page, [
      { type: 'auth.login', handle: 'tamsin', password: PASSWORD },
      { type: 'buddy.accept', handle: 'ugo' },
    ]);
    // ugo shares with his buddies, agrees to alerts and nudges, and counts clean time.
    await protocol(bob.page, [
      { type: 'auth.login', handle: 'ugo', password: PASSWORD },
      {
        type: 'settings.set', checkin_share: 'buddies', alert_buddies: true, sobriety_share: 'buddies',
        isolation_nudges: true, isolation_days: 1,
      },
      { type: 'ping' },
      { type: 'sobriety.set', date: '$today' },
      {
        type: 'checkin.submit', mood: 2, craving: 6, signs: ['isolating', 'high_stress', 'boredom'],
        win: 'Cooked dinner.', note: 'A secret of ugo.',
      },
    ]);
    const { page } = alice;
    await page.getByText('ugo checked in: feeling low today.').waitFor();
    await assert.doesNotReject(page.getByText('ugo may be having a hard day. A ping, a call or a kind word from you could mean a lot.').waitFor());

    // The feed on the check-in screen: what ugo shared, never his note.
    await navTo(alice, 'Check in');
    const feed = page.getByRole('region', { name: 'Your buddies this week' });
    await feed.getByText('Cooked dinner.').waitFor();
    await assert.doesNotReject(feed.getByText(/Feeling low \(2 of 5\); craving 6 of 10; noticed isolating, high stress, boredom with no plan\./).waitFor());
    assert.equal(await page.getByText('A secret of ugo.').count(), 0);

    // A day later ugo reached a milestone, and has been quiet.
    await server.advance(DAY_MS + 2 * 3_600_000);
    await page.getByText('ugo reached 1 day clean. A kind word from you would mean a lot.').waitFor();
    await page.getByText('It has been a day since ugo was around. Maybe send a ping to say you are thinking of them.').waitFor();
    // Nothing in the page speaks of alarm.
    assert.equal(await page.getByRole('alert').filter({ hasText: 'ugo' }).count(), 0);

    // ugo comes back: a kind word, never a reproach.
    await tryLogIn(bob, 'ugo', PASSWORD);
    await bob.page.getByText('Welcome back. We missed you. A check-in takes a minute, whenever you are ready.').waitFor();
    await bob.page.getByRole('status').filter({ hasText: 'Welcome back.' }).getByRole('button', { name: 'Open' }).click();
    await bob.page.getByRole('radio', { name: '3 Okay' }).waitFor();
    expectNoPageErrors(alice);
    expectNoPageErrors(bob);
  });
  await alice.context.close();
  await bob.context.close();
});

test('a check-in shared with a room is posted there in plain words, never the note', async (t) => {
  const member = await newMember(browser, server);
  const { page } = member;
  await withArtifacts(t, [member], async () => {
    await signUp(member, server, 'vera');
    await createRoom(member, 'porch', 'The porch');
    await navTo(member, 'Settings');
    const form = page.getByRole('form', { name: 'Check-ins' });
    await form.getByRole('radio', { name: 'A room I am in' }).check();
    await page.getByLabel('Room for your check-ins').selectOption({ label: 'The porch' });
    await page.getByRole('button', { name: 'Save check-in settings' }).click();
    await form.getByText('Saved.').waitFor();

    await navTo(member, 'Check in');
    await page.getByText('This check-in will be posted in the room “porch”', { exact: false }).waitFor();
    await page.getByRole('radio', { name: '4 Good' }).check();
    await page.getByRole('checkbox', { name: 'Dishonesty' }).check();
    await page.getByLabel('Today’s win, big or small').fill('Went for a run');
    await page.getByLabel('A private note').fill('Nobody reads this.');
    await page.getByRole('button', { name: 'Check in', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Thank you for checking in.' }).waitFor();

    await openView(member, 'room/porch');
    await messageIn(member, 'Checked in: mood 4/5, 1 warning sign. Win of the day: Went for a run.');
    assert.equal(await messages(member).getByText('Nobody reads this.').count(), 0);
    assert.equal(await messages(member).getByText('Dishonesty').count(), 0);
    expectNoPageErrors(member);
  });
  await member.context.close();
});
