import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { openLesson, runAndWait } from './support.js';

for (const lang of ['en', 'zh-CN'] as const) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`the lesson page has no accessibility violations (${lang}, ${scheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await openLesson(page, lang);
      const before = await new AxeBuilder({ page }).analyze();
      expect(before.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
      await runAndWait(page);
      await page.locator('svg.ladder [data-flags="SYN"]').first().click();
      const after = await new AxeBuilder({ page }).analyze();
      expect(after.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    });
  }
}
