import { expect, test } from '@playwright/test';
import { sharedHostForFile } from './support/shared-host';

// Korean never depends on the system's fonts: the app carries its own (the `pretendard` npm
// package's web font, bundled into the renderer), and the Korean UI is drawn with it.

const host = sharedHostForFile();

test('the Korean UI is drawn with the packaged Korean web font', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'ko-KR' });
  const page = await context.newPage();
  await page.goto(host().url);
  await expect(page.getByTestId('start-review')).toHaveText('복습 시작');
  await page.evaluate('document.fonts.ready');
  const faces = (await page.evaluate(
    `[...document.fonts].filter((f) => /pretendard/i.test(f.family) && f.status === 'loaded').map((f) => f.family)`,
  )) as string[];
  expect(faces.length).toBeGreaterThan(0);
  // The glyphs on screen come from it: the browser reports the packaged face as available for Hangul.
  expect(await page.evaluate(`document.fonts.check('16px "Pretendard Variable"', '복습 시작')`)).toBe(true);
  await context.close();
});
