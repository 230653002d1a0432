import { expect, type Page } from '@playwright/test';

export const LESSON = '/lessons/02-tcp-handshake';

/** Starts with a clean slate: no remembered language or theme. */
export async function openLesson(page: Page, lang: 'en' | 'zh-CN' = 'en'): Promise<void> {
  await page.goto(LESSON);
  const select = page.getByRole('combobox', { name: /Language|语言/ });
  await select.selectOption(lang);
  await expect(page.locator('html')).toHaveAttribute('lang', lang);
}

/** Presses Run and waits until the finished recording is shown. */
export async function runAndWait(page: Page, runName: RegExp = /^(▶\s*)?(Run|运行)$/): Promise<void> {
  await page.getByRole('button', { name: runName }).click();
  await expect(page).toHaveURL(/[?&]rec=[\w-]+/, { timeout: 30_000 });
  await expect(page.locator('[data-flags]').first()).toBeVisible();
}

/** The arrows of the ladder, in order, by their flags. */
export async function arrowFlags(page: Page): Promise<string[]> {
  return page.locator('svg.ladder [data-flags]').evaluateAll((els) => els.map((el) => el.getAttribute('data-flags') ?? ''));
}
