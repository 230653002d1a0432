/**
 * An experiment added as one folder and a lesson as another (server/test-experiments/) work in
 * the page like the lab's own: the lesson loads, Run streams the toy experiment, its fact fills
 * the text, and its question is graded only on the run it is about, which the page offers to run.
 */
import { test, expect } from '@playwright/test';
import { TOY_PORT } from '../playwright.config.js';

test.use({ baseURL: `http://127.0.0.1:${TOY_PORT}` });

test('a toy experiment and its lesson: run, fact, a question tied to its preset', async ({ page }) => {
  await page.goto('/lessons/01-udp-echo');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('UDP echo');
  const question = page.locator('.predict');
  await expect(question).toContainText('About the run: Three datagrams.');
  // The form's labels come from the experiment's own texts.
  await expect(page.getByLabel('Datagrams')).toHaveValue('2');

  // The default run sends two datagrams: the text shows its fact, the question is not graded.
  await question.getByRole('radio', { name: '6' }).check();
  await page.getByRole('button', { name: /^(▶\s*)?Run$/ }).click();
  await expect(page).toHaveURL(/[?&]rec=[\w-]+/, { timeout: 30_000 });
  const rec = new URL(page.url()).searchParams.get('rec');
  const facts = await (await page.request.get(`/api/recordings/${rec}/facts`)).json();
  expect(facts.values['echo.datagrams']).toBe(4);
  await expect(page.locator('.lesson-text')).toContainText('4 datagrams crossed the wire');
  await expect(question).toContainText('This question is about another run (Three datagrams)');
  await expect(question.getByRole('radio', { name: '6' })).toBeChecked();

  // The timeline by program is the experiment's first view: client, wire, server.
  await expect(page.locator('.tl-head .lane-title')).toHaveText(['Client', 'On the wire', 'Server']);

  // Run the question's own run from the question.
  await question.getByRole('button', { name: 'Run: Three datagrams' }).click();
  await expect(page).not.toHaveURL(new RegExp(`rec=${rec}`), { timeout: 30_000 });
  await expect(page).toHaveURL(/[?&]rec=[\w-]+/, { timeout: 30_000 });
  await expect(page.getByLabel('Datagrams')).toHaveValue('3');
  await expect(question).toContainText('You were right.');
  await expect(page.locator('.lesson-text')).toContainText('6 datagrams crossed the wire');

  // The step link selects the first datagram.
  await page.getByRole('link', { name: 'the first' }).click();
  const selected = page.getByRole('listbox', { name: /Timeline of the run/ }).locator('[role="option"][aria-selected="true"]');
  await expect(selected).toHaveAttribute('data-kind', 'packet');

  // Its second view shows the last step's structured data as one table, not a marker per round.
  await page.getByRole('tab', { name: 'Steps with data' }).click();
  const notes = page.getByRole('list', { name: 'Step notes of the run' });
  await expect(notes.locator('li.note')).toHaveCount(4);
  await notes.getByRole('button', { name: /all 3 echoed/ }).click();
  const table = notes.locator('li.note').last().locator('table');
  await expect(table.locator('thead th')).toHaveText(['n', 'bytes', 'from']);
  await expect(table.locator('tbody tr')).toHaveCount(3);
  await expect(table.locator('tbody tr').first().locator('td').nth(1)).toHaveText('4');
});

test('the toy lesson in Chinese: texts, notes and the question from its folder', async ({ page }) => {
  await page.goto('/lessons/01-udp-echo');
  await page.getByRole('combobox', { name: /Language|语言/ }).selectOption('zh-CN');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('UDP 回显');
  await expect(page.getByLabel('数据报个数')).toHaveValue('2');
  await expect(page.locator('.predict')).toContainText('三个数据报');
});
