// Moderation in the browser: a host names a room moderator; a member reports
// a cruel message; the moderator finds the report, takes the message down
// and mutes its author. Everyone sees "removed by a moderator" in its place;
// the muted member is told kindly, and their next post is refused with the
// server's sentence beside the composer while their draft stays. The
// moderator sees the mute in the room's "Mutes and bans" and is offered
// "Unmute" (not "Mute") for troy only while he is muted; a ban is listed there
// and lifted from the list. The report is resolved and the reporter thanked;
// the audit log shows what was done.
// Then crisis words: the author is offered help privately and the moderator
// is asked, gently, to reach out.
import { test } from 'node:test';
import {
  startServerAndBrowser, newMember, expectNoForeignRequests, expectNoPageErrors, withArtifacts, DESKTOP,
} from './harness.mjs';
import {
  assert, createRoom, messageIn, messages, navTo, openRoom, openView, say, signUp,
} from './ui.mjs';

const { server, browser } = await startServerAndBrowser();

// Opens a per-message or per-member action menu and picks an action.
async function menu(page, menuName, action) {
  await showMembers(page);
  await page.getByLabel(menuName, { exact: true }).first().click();
  await page.getByRole('button', { name: action, exact: true }).click();
}

// On a phone the member list may be folded away: unfold it.
async function showMembers(page) {
  const box = page.locator('details.members-box');
  if ((await box.count()) && !(await box.evaluate((d) => d.open))) await box.locator(':scope > summary').click();
}

function dialog(page) {
  return page.getByRole('dialog');
}

// Opens the room settings' "Mutes and bans" (it asks the server for them when opened).
async function openSanctions(page) {
  const settings = page.locator('details.mod-settings');
  if (!(await settings.evaluate((d) => d.open))) await settings.locator(':scope > summary').click();
  const part = settings.locator('details.mod-part', { hasText: 'Mutes and bans' });
  if (!(await part.evaluate((d) => d.open))) await part.locator(':scope > summary').click();
  return part;
}

// The member actions offered for `who`, by their labels (the menu is closed again).
async function actionsFor(page, who) {
  await showMembers(page);
  const toggle = page.getByLabel(`Actions for ${who}`, { exact: true }).first();
  await toggle.click();
  const menuEl = page.locator('li.member').filter({ hasText: who }).locator('.actions');
  await menuEl.getByRole('button').first().waitFor();
  const labels = await menuEl.getByRole('button').allTextContents();
  await toggle.click();
  return labels;
}

test('a moderator removes a message and mutes someone', async (t) => {
  const ann = await newMember(browser, server, { viewport: DESKTOP });
  const bea = await newMember(browser, server);
  const troy = await newMember(browser, server);
  await withArtifacts(t, [ann, bea, troy], async () => {
    await signUp(ann, server, 'ann');
    await createRoom(ann, 'porch', 'The porch');
    await signUp(bea, server, 'bea');
    await openRoom(bea, 'porch', 'The porch');
    await signUp(troy, server, 'troy');
    await openRoom(troy, 'porch', 'The porch');
    await say(troy, 'nobody wants you here');
    await messageIn(ann, 'nobody wants you here');

    // The host names bea a room moderator from the member list.
    await menu(ann.page, 'Actions for bea', 'Make bea a room moderator');
    await bea.page.getByText('Room settings', { exact: true }).waitFor();
    // An ordinary member has no moderator controls.
    assert.equal(await troy.page.getByText('Room settings', { exact: true }).isVisible(), false);
    await showMembers(troy.page);
    await troy.page.getByLabel('Actions for bea', { exact: true }).click();
    assert.equal(await troy.page.getByRole('button', { name: 'Mute bea…' }).count(), 0);
    await troy.page.getByRole('button', { name: 'Report bea…' }).waitFor();
    await troy.page.getByLabel('Actions for bea', { exact: true }).click();

    // ann reports the message.
    await menu(ann.page, 'Actions for the message from troy', 'Report message…');
    await dialog(ann.page).getByLabel('What is wrong with it?').fill('This is cruel to a newcomer.');
    await dialog(ann.page).getByRole('button', { name: 'Send the report' }).click();
    await dialog(ann.page).waitFor({ state: 'detached' });

    // bea finds it in the reports queue (her navigation now has Moderation), with the message as it was.
    await navTo(bea, 'Moderation');
    const reports = bea.page.getByRole('list', { name: 'Reports' });
    await reports.getByText('A message by troy in porch').waitFor();
    await reports.getByText('nobody wants you here').waitFor();
    await reports.getByText('This is cruel to a newcomer.').waitFor();
    await reports.getByRole('link', { name: 'Go to porch' }).click();
    await bea.page.getByRole('heading', { name: 'The porch', level: 1 }).waitFor();

    // bea takes the message down.
    await menu(bea.page, 'Actions for the message from troy', 'Remove message');
    await dialog(bea.page).getByLabel('Reason (optional, for the log)').fill('Unkind');
    await dialog(bea.page).getByRole('button', { name: 'Remove message' }).click();
    await dialog(bea.page).waitFor({ state: 'detached' });
    for (const m of [ann, bea, troy]) {
      await messages(m).getByText(/removed by a moderator/i).waitFor();
      assert.equal(await messages(m).getByText('nobody wants you here').count(), 0);
    }

    // Nobody is muted yet: "Mute", not "Unmute", for troy.
    const sanctions = await openSanctions(bea.page);
    await sanctions.getByText('Nobody is muted or banned here.').waitFor();
    let offered = await actionsFor(bea.page, 'troy');
    assert.ok(offered.includes('Mute troy…'), offered.join(', '));
    assert.ok(!offered.includes('Unmute troy'), offered.join(', '));

    // ... and mutes troy for an hour.
    await menu(bea.page, 'Actions for troy', 'Mute troy…');
    await dialog(bea.page).getByLabel('For how long').selectOption({ label: '1 hour' });
    await dialog(bea.page).getByLabel(/^Reason/).fill('Please take a breather.');
    await dialog(bea.page).getByRole('button', { name: 'Mute troy' }).click();
    await dialog(bea.page).waitFor({ state: 'detached' });

    // The mute is listed with its end, who set it and why; troy is offered "Unmute" only.
    await sanctions.getByRole('list', { name: 'Muted in this room' })
      .getByText(/Muted until .* by bea: “Please take a breather\.”/).waitFor();
    offered = await actionsFor(bea.page, 'troy');
    assert.ok(offered.includes('Unmute troy'), offered.join(', '));
    assert.ok(!offered.includes('Mute troy…'), offered.join(', '));

    // troy is told plainly, with the reason and until when.
    await troy.page.getByText(/A moderator has paused your posting in porch until .*Please take a breather/).waitFor();
    // His next post is refused with the server's sentence beside the composer; his words stay.
    const composer = troy.page.getByLabel('Message', { exact: true });
    await composer.fill('sorry, I was angry');
    await composer.press('Enter');
    await troy.page.locator('.composer').getByText('A moderator has muted you in this room.').waitFor();
    assert.equal(await composer.inputValue(), 'sorry, I was angry');

    // bea marks the report as acted on; ann is thanked, without being told who or how.
    await openView(bea, 'moderation');
    const item = bea.page.getByRole('list', { name: 'Reports' }).getByRole('listitem').filter({ hasText: 'A message by troy' });
    await item.getByRole('button', { name: 'Mark as acted on' }).click();
    await bea.page.getByText('No open reports.', { exact: false }).waitFor();
    await ann.page.getByText('Thank you for your report. A moderator looked at it and took action.').waitFor();

    // The room's log shows what was done, newest first.
    const log = bea.page.getByRole('list', { name: 'What moderators did' });
    await log.getByText('bea muted troy', { exact: false }).waitFor();
    await log.getByText(/bea took down message \d+/).waitFor();

    // The mute is lifted: troy can post again.
    await openRoom(bea, 'porch', 'The porch');
    await menu(bea.page, 'Actions for troy', 'Unmute troy');
    await troy.page.getByText('You can post in porch again.').waitFor();
    await composer.press('Enter');
    await messageIn(ann, 'sorry, I was angry');
    await (await openSanctions(bea.page)).getByText('Nobody is muted or banned here.').waitFor();

    // bea bans troy; the ban is listed, and lifted from the list: troy may come back.
    await menu(bea.page, 'Actions for troy', 'Ban troy…');
    await dialog(bea.page).getByLabel(/^Reason/).fill('Still unkind');
    await dialog(bea.page).getByRole('button', { name: 'Ban troy' }).click();
    await dialog(bea.page).waitFor({ state: 'detached' });
    const bans = (await openSanctions(bea.page)).getByRole('list', { name: 'Banned from this room' });
    await bans.getByText(/Banned until .* by bea: “Still unkind”/).waitFor();
    await bans.getByRole('button', { name: 'Lift the ban on troy' }).click();
    await bea.page.getByText('troy may join this room again.').waitFor();
    await (await openSanctions(bea.page)).getByText('Nobody is muted or banned here.').waitFor();
    await openRoom(troy, 'porch', 'The porch');

    // Moderation is not in an ordinary member's navigation.
    await troy.page.getByRole('link', { name: 'Rooms' }).waitFor();
    assert.equal(await troy.page.getByRole('link', { name: 'Moderation' }).count(), 0);

    for (const m of [ann, bea, troy]) {
      expectNoForeignRequests(m);
      expectNoPageErrors(m);
    }
  });
});

test('crisis words: help offered privately, the moderator asked to reach out', async (t) => {
  const moe = await newMember(browser, server, { viewport: DESKTOP });
  const kim = await newMember(browser, server);
  const lee = await newMember(browser, server);
  await withArtifacts(t, [moe, kim, lee], async () => {
    await signUp(moe, server, 'moe');
    await createRoom(moe, 'late-night', 'Late night');
    await signUp(lee, server, 'lee');
    await openRoom(lee, 'late-night', 'Late night');
    await signUp(kim, server, 'kim');
    await openRoom(kim, 'late-night', 'Late night');
    // The first room a member joins brings Hearth's notice and the crisis resources.
    await kim.page.getByRole('heading', { name: 'Before you start' }).waitFor();
    await kim.page.getByText('988 Suicide and Crisis Lifeline', { exact: false }).first().waitFor();
    await kim.page.getByRole('button', { name: 'Close: Before you start' }).click();

    await say(kim, "I can't go on like this");
    // Only kim is offered help, kindly, with the resources and a way to ask for support.
    await kim.page.getByRole('heading', { name: 'We are glad you said something' }).waitFor();
    await kim.page.getByRole('button', { name: 'Talk to someone now' }).waitFor();
    await lee.page.waitForTimeout(300);
    assert.equal(await lee.page.getByText('We are glad you said something').count(), 0);

    // The room's moderator (its host) is asked to reach out; the words stay in the room only.
    await moe.page.getByText('kim may be having a hard time in late-night. A kind word could help.').waitFor();
    await openView(moe, 'moderation');
    const care = moe.page.getByRole('region', { name: 'Who may need a kind word' });
    await care.getByText(/kim in late-night/).waitFor();
    assert.equal(await care.getByText("I can't go on like this").count(), 0);

    for (const m of [moe, kim, lee]) {
      expectNoForeignRequests(m);
      expectNoPageErrors(m);
    }
  });
});

test('an admin reads the whole server\'s log and suspends an account', async (t) => {
  const root = await newMember(browser, server, { viewport: DESKTOP });
  const vex = await newMember(browser, server);
  await withArtifacts(t, [root, vex], async () => {
    await signUp(root, server, 'root');
    await signUp(vex, server, 'vex');
    await server.promote('root', 'admin');
    await root.page.reload(); // the role applies from the next sign-in (a resume counts)
    await root.page.getByRole('button', { name: 'I need support now' }).waitFor();
    await navTo(root, 'Moderation');

    const accounts = root.page.getByText('Accounts (admins)', { exact: true });
    await accounts.click();
    await root.page.getByLabel('Handle', { exact: true }).fill('vex');
    await root.page.getByLabel('For how long').selectOption({ label: '1 day' });
    await root.page.getByLabel(/^Reason/).fill('Repeated abuse');
    await root.page.getByRole('button', { name: 'Suspend the account' }).click();

    // vex is signed out everywhere and told why, plainly.
    await vex.page.getByText('This account is suspended.').waitFor();
    await vex.page.getByRole('button', { name: 'Log in' }).waitFor();

    // The server-wide log, read by the admin, holds it.
    await root.page.getByLabel('Log of').selectOption({ label: 'The whole server' });
    await root.page.getByRole('list', { name: 'What moderators did' })
      .getByText(/root suspended vex until .* \(whole server\)/).waitFor();

    for (const m of [root, vex]) {
      expectNoForeignRequests(m);
      expectNoPageErrors(m);
    }
  });
});
