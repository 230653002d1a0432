/**
 * A class in a room: the instructor's page and a student's page in two browser contexts. The
 * student's page is served as a student on the classroom network gets it: without the control
 * token (the server embeds it only for a browser on its own machine, so here it is taken out).
 */
import { test, expect, type Browser, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { LESSON, openLesson, runAndWait } from './support.js';

/**
 * A page as a student's browser gets it: without the token. (The page's meta tag is emptied as
 * it is parsed, before the app's script runs; a routed copy of the page would be treated by
 * Chromium as coming from another network and could not open the WebSocket.)
 */
async function studentPage(browser: Browser, locale?: string): Promise<Page> {
  const context = await browser.newContext(locale ? { locale } : {});
  await context.addInitScript(() => {
    new MutationObserver(() => {
      const meta = document.querySelector<HTMLMetaElement>('meta[name="socket-lab-token"]');
      if (meta && meta.content) meta.content = '';
    }).observe(document, { subtree: true, childList: true });
  });
  const page = await context.newPage();
  return page;
}

/** Starts a room from the instructor's page; its code once the server has given it. */
async function startRoom(teacher: Page): Promise<string> {
  await teacher.getByRole('button', { name: 'Start a room' }).click();
  const codeText = teacher.getByTestId('room-code');
  await expect(codeText).toHaveText(/^[A-HJ-NP-Z2-9]{6}$/);
  return (await codeText.textContent())!;
}

const stepOf = (page: Page) => Number(new URL(page.url()).searchParams.get('step'));
const recOf = (page: Page) => new URL(page.url()).searchParams.get('rec');

test('a student follows the instructor: steps, pointer, runs; detaches and comes back; offers nothing it would refuse', async ({ page: teacher, browser }) => {
  await openLesson(teacher, 'en');
  const code = await startRoom(teacher);
  await expect(teacher.getByTestId('room-share')).toContainText(`/join/${code}`);
  await expect(teacher.getByTestId('room-share').getByRole('img', { name: /QR code/ })).toBeVisible();

  const student = await studentPage(browser);
  await student.goto(`/join/${code}`);
  await expect(student.getByRole('button', { name: 'Start a room' })).toHaveCount(0);
  await student.getByLabel('Your name (optional)').fill('Ann');
  await student.getByRole('button', { name: 'Join' }).click();

  // Late join: at once on the instructor's page.
  await expect(student).toHaveURL(new RegExp(`${LESSON}$`));
  await expect(student.getByText(`Following the instructor (room ${code})`)).toBeVisible();
  await expect(teacher.getByTestId('room-count')).toContainText('1 following');
  await teacher.getByText('Names (1)').click();
  await expect(teacher.getByText('Ann', { exact: true })).toBeVisible();

  // Nothing it would refuse: no Run, no presets, no editable parameter, no "then press Run".
  await expect(student.getByRole('button', { name: /^(▶\s*)?Run/ })).toHaveCount(0);
  await expect(student.getByRole('button', { name: 'Lesson default' })).toHaveCount(0);
  const inputs = student.locator('.experiment form :is(input, select, textarea)');
  expect(await inputs.count()).toBeGreaterThan(0);
  for (const input of await inputs.all()) await expect(input).toBeDisabled();
  await expect(student.getByText(/then press Run|Press Run/)).toHaveCount(0);
  await expect(student.getByText('Pick your answer; the instructor’s run checks it.').first()).toBeVisible();
  await expect(student.getByRole('button', { name: 'Edit' })).toHaveCount(0);
  await expect(student.getByText('You are following the instructor')).toBeVisible();

  // The instructor's run streams to the student, and ends on the same recording.
  await runAndWait(teacher);
  await expect.poll(() => recOf(student), { timeout: 30_000 }).toBe(recOf(teacher));
  await expect(student.locator('[data-flags="SYN"]').first()).toBeVisible();

  // Steps: the student's page goes where the instructor's goes.
  await teacher.locator('body').click({ position: { x: 5, y: 5 } });
  await teacher.keyboard.press('Home');
  await teacher.keyboard.press('ArrowRight');
  await teacher.keyboard.press('ArrowRight');
  await expect.poll(() => stepOf(teacher)).toBe(3);
  await expect.poll(() => stepOf(student)).toBe(3);

  // The pointer: the field the instructor picks is lit on the student's screen.
  await teacher.locator('[data-flags="SYN"]').first().click();
  await teacher.locator('[data-field="tcp.seq"]').click();
  await expect(teacher.locator('[data-field="tcp.seq"]')).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => stepOf(student)).toBe(stepOf(teacher));
  await expect(student.locator('[data-field="tcp.seq"]')).toHaveAttribute('aria-pressed', 'true');
  await expect(student.locator('[data-field="tcp.seq"]')).toHaveAttribute('data-highlighted', 'true');

  // A byte range: the instructor drags across bytes 20–27; the student sees those 8 bytes lit, and only those.
  const hex = (p: Page) => p.locator('.wire .hex').first();
  const litBytes = async (p: Page) =>
    (await hex(p).locator('[data-byte][data-highlighted="true"]').evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset['byte'])))) as number[];
  const span = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => from + k);
  await hex(teacher).locator('[data-byte="20"]').first().hover();
  await teacher.mouse.down();
  await hex(teacher).locator('[data-byte="24"]').first().hover();
  await hex(teacher).locator('[data-byte="27"]').first().hover();
  await teacher.mouse.up();
  await teacher.mouse.move(0, 0);
  await expect(teacher.getByTestId('pointed-bytes')).toHaveText('Pointed at: bytes 20–27 (8)');
  await expect(student.locator('[data-field="tcp.seq"]')).not.toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => litBytes(student)).toEqual(span(20, 27));
  await expect(student.getByTestId('pointed-bytes')).toHaveText('Pointed at: bytes 20–27 (8)');
  // Shift+click: from the byte clicked (which points at its field first) to the one Shift+clicked.
  await hex(teacher).locator('[data-byte="14"]').first().click();
  await expect(student.getByTestId('pointed-bytes')).toHaveCount(0);
  await hex(teacher).locator('[data-byte="17"]').first().click({ modifiers: ['Shift'] });
  await expect.poll(() => litBytes(student)).toEqual(span(14, 17));
  // Keyboard: Shift+arrows extend the range from the byte with focus.
  await hex(teacher).press('Shift+ArrowRight');
  await hex(teacher).press('Shift+ArrowRight');
  await expect.poll(() => litBytes(student)).toEqual(span(14, 19));
  // Back to a field: the range gives way to it.
  await teacher.locator('[data-field="tcp.seq"]').click();
  await expect(student.locator('[data-field="tcp.seq"]')).toHaveAttribute('aria-pressed', 'true');
  await expect(student.getByTestId('pointed-bytes')).toHaveCount(0);

  // Detach: the student explores alone; the instructor moves on without them; F takes them back.
  await student.locator('body').click({ position: { x: 5, y: 5 } });
  await student.keyboard.press('d');
  await expect(student.getByText(/Exploring on your own/)).toBeVisible();
  await student.keyboard.press('f');
  await expect(student.getByText(`Following the instructor (room ${code})`)).toBeVisible();
  // Stepping on one's own detaches too.
  await student.keyboard.press('ArrowRight');
  await expect(student.getByText(/Exploring on your own/)).toBeVisible();
  await expect(teacher.getByTestId('room-count')).toContainText('1 exploring');
  await student.keyboard.press('End');
  const alone = stepOf(student);
  await teacher.keyboard.press('Home');
  await expect.poll(() => stepOf(teacher)).toBe(1);
  await student.waitForTimeout(500);
  expect(stepOf(student)).toBe(alone);
  await student.keyboard.press('f');
  await expect(student.getByText(`Following the instructor (room ${code})`)).toBeVisible();
  await expect.poll(() => stepOf(student)).toBe(1);
  await expect(teacher.getByTestId('room-count')).toContainText('0 exploring');

  // Eyes on me: no way to detach while it is on.
  await teacher.getByRole('button', { name: 'Eyes on me' }).click();
  await expect(student.getByText('Eyes on the instructor')).toBeVisible();
  await expect(student.getByRole('button', { name: /Explore on my own/ })).toHaveCount(0);
  await teacher.getByRole('button', { name: 'Eyes on me' }).click();
  await expect(student.getByRole('button', { name: /Explore on my own/ })).toBeVisible();

  // The speaker notes are on the instructor's screen only.
  await expect(teacher.getByText('Speaker notes (only on your screen)')).toBeVisible();
  await expect(student.getByText(/Speaker notes/)).toHaveCount(0);

  // A reload (a dropped connection) comes back into the room, following.
  await student.reload();
  await expect(student.getByText(`Following the instructor (room ${code})`)).toBeVisible();
  await expect.poll(() => stepOf(student)).toBe(stepOf(teacher));

  // Closing the room tells the student.
  await teacher.getByRole('button', { name: 'Close room' }).click();
  await expect(student.getByText('The room has closed.')).toBeVisible();
  await student.context().close();
});

test('a poll: the class answers a predict question, the instructor sees the counts', async ({ page: teacher, browser }) => {
  await openLesson(teacher, 'en');
  const code = await startRoom(teacher);
  const students = await Promise.all([studentPage(browser), studentPage(browser)]);
  for (const s of students) {
    await s.goto(`/join/${code}`);
    await s.getByRole('button', { name: 'Join' }).click();
    await expect(s).toHaveURL(new RegExp(`${LESSON}$`));
  }
  await expect(teacher.getByTestId('room-count')).toContainText('2 following');
  const question = (p: Page) => p.locator('.predict').first();
  await question(teacher).getByRole('button', { name: 'Ask the class' }).click();
  for (const s of students) await expect(question(s).getByText('The instructor asks the class')).toBeVisible();
  await question(students[0]!).getByLabel('x + 1').check();
  await question(students[1]!).getByLabel('x', { exact: true }).check();
  await expect(question(teacher).getByRole('status').filter({ hasText: 'answered' })).toContainText('2 of 2 answered');
  await expect(question(teacher)).toContainText('1 said x + 1');
  await expect(question(teacher)).toContainText('1 said x');
  await question(teacher).getByRole('button', { name: 'Stop asking' }).click();
  await teacher.getByRole('button', { name: 'Close room' }).click();
  for (const s of students) await s.context().close();
});

test('in Chinese: the join page, the room bars and the follower view (a student whose browser is set to Chinese)', async ({ page: teacher, browser }) => {
  await openLesson(teacher, 'zh-CN');
  await teacher.getByRole('button', { name: '开设课堂' }).click();
  const codeText = teacher.getByTestId('room-code');
  await expect(codeText).toHaveText(/^[A-HJ-NP-Z2-9]{6}$/);
  const code = (await codeText.textContent())!;
  const bar = (p: Page) => p.getByRole('region', { name: '课堂' });
  /** English words a page shows there, leaving out what is not language: the code, the join address, the command to type. */
  const english = async (p: Page, where: string) =>
    (await p.locator(where).first().innerText())
      .replaceAll(code, '')
      .replace(/https?:\/\/\S+/g, '')
      .replace('npm start -- --lan', '')
      .match(/[A-Za-z]{3,}/g) ?? [];
  await expect(bar(teacher)).toContainText('0 人跟随');
  expect(await english(teacher, '.room-bar')).toEqual([]);

  // The join page, in the language the student's browser asks for.
  const student = await studentPage(browser, 'zh-CN');
  await student.goto(`/join/${code}`);
  await expect(student.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(student.getByRole('heading', { name: '加入课堂' })).toBeVisible();
  await expect(student.getByText('输入讲师展示的课堂码。')).toBeVisible();
  await student.getByLabel('课堂码').fill('12');
  await student.getByRole('button', { name: '加入' }).click();
  await expect(student.getByText('课堂码是六个字母和数字，例如 K7PQ2M。')).toBeVisible();
  expect(await english(student, '.join')).toEqual([]);
  await student.getByLabel('课堂码').fill(code.toLowerCase());
  await student.getByLabel('你的名字（可选）').fill('小明');
  await expect(student.getByText('只有讲师能看到。')).toBeVisible();
  await student.getByRole('button', { name: '加入' }).click();

  // The follower view.
  await expect(student).toHaveURL(new RegExp(`${LESSON}$`));
  await expect(bar(student)).toContainText(`正在跟随讲师（课堂 ${code}）。按 D 可自行浏览。`);
  await expect(student.getByRole('button', { name: '自行浏览（D）' })).toBeVisible();
  await expect(student.getByRole('button', { name: '离开课堂' })).toBeVisible();
  await expect(student.getByText('你正在跟随讲师：讲师的运行会实时显示在这里。')).toBeVisible();
  await expect(student.getByRole('button', { name: '开设课堂' })).toHaveCount(0);
  expect(await english(student, '.room-bar')).toEqual([]);

  // The instructor's bar counts and names the student, in Chinese.
  await expect(bar(teacher)).toContainText('1 人跟随');
  await expect(bar(teacher)).toContainText('0 人自行浏览');
  await teacher.getByText('名单（1）').click();
  await expect(bar(teacher).getByText('小明', { exact: true })).toBeVisible();
  await expect(teacher.getByText('讲者备注（只在你的屏幕上）')).toBeVisible();
  await expect(student.getByText(/讲者备注/)).toHaveCount(0);

  // Exploring alone and coming back; "eyes on me"; the room closing.
  await student.getByRole('button', { name: '自行浏览（D）' }).click();
  await expect(bar(student)).toContainText(`正在自行浏览（课堂 ${code}）。按 F 重新跟随讲师。`);
  await expect(bar(teacher)).toContainText('1 人自行浏览');
  await expect(bar(teacher).getByRole('listitem')).toHaveText('小明 · 自行浏览');
  await student.getByRole('button', { name: '回到讲师画面（F）' }).click();
  await expect(bar(student)).toContainText('正在跟随讲师');
  await teacher.getByRole('button', { name: '看我这里' }).click();
  await expect(bar(student)).toContainText('请看讲师：暂时锁定跟随。');
  await expect(student.getByRole('button', { name: '自行浏览（D）' })).toHaveCount(0);
  expect(await english(student, '.room-bar')).toEqual([]);
  await teacher.getByRole('button', { name: '结束课堂' }).click();
  await expect(student.getByText('课堂已结束。')).toBeVisible();
  await student.context().close();
});

test('the room bar, the join page and the speaker notes have no accessibility violations (light and dark)', async ({ page: teacher, browser }) => {
  // Two schemes, two pages each, four scans.
  test.setTimeout(150_000);
  const violations = async (page: Page) =>
    (await new AxeBuilder({ page }).analyze()).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  for (const scheme of ['light', 'dark'] as const) {
    await teacher.emulateMedia({ colorScheme: scheme });
    await openLesson(teacher, 'en');
    const code = await startRoom(teacher);
    await expect(teacher.getByTestId('room-share')).toBeVisible();
    expect(await violations(teacher)).toEqual([]);
    const student = await studentPage(browser);
    await student.emulateMedia({ colorScheme: scheme });
    await student.goto(`/join/${code}`);
    expect(await violations(student)).toEqual([]);
    await student.getByRole('button', { name: 'Join' }).click();
    await expect(student.getByText(`Following the instructor (room ${code})`)).toBeVisible();
    expect(await violations(student)).toEqual([]);
    await teacher.getByRole('button', { name: 'Close room' }).click();
    await student.context().close();
  }
});

test('an instructor on a touch screen points the class at bytes with a finger', async ({ browser }) => {
  const context = await browser.newContext({ hasTouch: true, viewport: { width: 1180, height: 820 } });
  const teacher = await context.newPage();
  await openLesson(teacher, 'en');
  expect(await teacher.evaluate(() => matchMedia('(hover: none)').matches)).toBe(true);
  const code = await startRoom(teacher);
  const student = await studentPage(browser);
  await student.goto(`/join/${code}`);
  await student.getByRole('button', { name: 'Join' }).click();
  await expect(student.getByText(`Following the instructor (room ${code})`)).toBeVisible();
  await runAndWait(teacher);
  await expect.poll(() => recOf(student), { timeout: 30_000 }).toBe(recOf(teacher));
  // The replay at a readable pace would move the teacher on from the packet: it is ended first.
  const skip = teacher.getByRole('button', { name: 'Skip to the end' });
  if (await skip.isVisible()) await skip.tap();
  await teacher.locator('[data-flags="SYN"]').first().tap();
  await expect.poll(() => stepOf(student)).toBe(stepOf(teacher));

  const hex = (p: Page) => p.locator('.wire .hex').first();
  const litBytes = async (p: Page) =>
    (await hex(p).locator('[data-byte][data-highlighted="true"]').evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset['byte'])))) as number[];
  const cdp = await context.newCDPSession(teacher);
  const at = async (i: number) => {
    const box = (await hex(teacher).locator(`[data-byte="${i}"]`).first().boundingBox())!;
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  };
  /** A finger pressed on byte `from`, moved across to byte `to`, lifted. */
  const swipe = async (from: number, to: number) => {
    await hex(teacher).locator(`[data-byte="${from}"]`).first().scrollIntoViewIfNeeded();
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [await at(from)] });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [await at(Math.round((from + to) / 2))] });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [await at(to)] });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  };
  await expect(teacher.getByText('Turn on Select bytes, then drag a finger across bytes to point the class at them.')).toBeVisible();

  // Without "Select bytes", a finger on a byte taps it: its field is picked, no bytes are pointed at.
  await (await hex(teacher).locator('[data-byte="20"]').first()).tap();
  await expect(teacher.locator('[data-field][aria-pressed="true"]')).toHaveCount(1);
  await expect(teacher.getByTestId('pointed-bytes')).toHaveCount(0);
  const select = teacher.getByRole('button', { name: 'Select bytes' });
  await select.tap();
  await expect(select).toHaveAttribute('aria-pressed', 'true');
  await swipe(20, 27);
  await expect(teacher.getByTestId('pointed-bytes')).toHaveText('Pointed at: bytes 20–27 (8)');
  await expect.poll(() => litBytes(student)).toEqual([20, 21, 22, 23, 24, 25, 26, 27]);
  // Backwards works too; a tap is one byte.
  await swipe(33, 30);
  await expect.poll(() => litBytes(student)).toEqual([30, 31, 32, 33]);
  await (await hex(teacher).locator('[data-byte="40"]').first()).tap();
  await expect(teacher.getByTestId('pointed-bytes')).toHaveText('Pointed at: bytes 40–40 (1)');
  await expect.poll(() => litBytes(student)).toEqual([40]);
  // "Select bytes" stays on from packet to packet.
  await teacher.locator('[data-flags="SYN, ACK"]').first().tap();
  await expect(teacher.getByRole('button', { name: 'Select bytes' })).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => stepOf(student)).toBe(stepOf(teacher));
  await swipe(14, 15);
  await expect(teacher.getByTestId('pointed-bytes')).toHaveText('Pointed at: bytes 14–15 (2)');
  await expect.poll(() => litBytes(student)).toEqual([14, 15]);
  await student.context().close();
  await context.close();
});
