// Layout checks for small screens: the page must not scroll sideways, and no two pieces of text may
// be drawn over each other. Text is measured as the browser lays it out (range rectangles of text
// nodes), clipped by every ancestor that clips (`truncate`, scroll boxes), so ellipsized text counts
// only as far as it is shown and text spilling out of a too-narrow box counts where it is drawn.
import { expect, type Page } from "@playwright/test";

export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  expect(widths.scroll, `the page scrolls sideways (content ${widths.scroll} px wide on a ${widths.client} px screen)`).toBeLessThanOrEqual(widths.client);
}

/** Pairs of visible text drawn over each other inside `root`, as "text A" × "text B". */
export async function overlappingText(page: Page, root = "body"): Promise<string[]> {
  return await page
    .locator(root)
    .first()
    .evaluate((rootElement) => {
      type Box = { left: number; top: number; right: number; bottom: number };
      const intersect = (a: Box, b: Box): Box => ({
        left: Math.max(a.left, b.left),
        top: Math.max(a.top, b.top),
        right: Math.min(a.right, b.right),
        bottom: Math.min(a.bottom, b.bottom),
      });
      // Sub-pixel touching (adjacent inline text, line boxes) is not an overlap.
      const TOLERANCE = 1.5;
      const isBox = (box: Box) => box.right - box.left > TOLERANCE && box.bottom - box.top > TOLERANCE;

      const pieces: { text: string; node: Text; box: Box }[] = [];
      const walker = document.createTreeWalker(rootElement, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
        const parent = node.parentElement;
        if (!parent || !node.data.trim()) continue;
        if (parent.closest("script, style, select, option, textarea, template")) continue;
        if (!parent.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
        // What the clipping ancestors leave of this text's area.
        let clip: Box = { left: -Infinity, top: -Infinity, right: Infinity, bottom: Infinity };
        for (let ancestor: Element | null = parent; ancestor && ancestor !== document.documentElement; ancestor = ancestor.parentElement) {
          const style = getComputedStyle(ancestor);
          if (style.overflowX !== "visible" || style.overflowY !== "visible" || style.clip !== "auto") {
            clip = intersect(clip, ancestor.getBoundingClientRect());
          }
        }
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const rect of range.getClientRects()) {
          const box = intersect(clip, rect);
          if (isBox(box)) pieces.push({ text: node.data.trim().slice(0, 40), node, box });
        }
      }
      const overlaps: string[] = [];
      for (let i = 0; i < pieces.length; i++) {
        for (let j = i + 1; j < pieces.length; j++) {
          const a = pieces[i]!;
          const b = pieces[j]!;
          if (a.node === b.node) continue;
          if (isBox(intersect(a.box, b.box))) overlaps.push(`"${a.text}" × "${b.text}"`);
        }
      }
      return [...new Set(overlaps)];
    });
}

/** The page fits a phone: no sideways scroll, no text over text. */
export async function expectFitsTheScreen(page: Page, what: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await expectNoSidewaysScroll(page);
  expect(await overlappingText(page), `text drawn over other text on ${what}`).toEqual([]);
}

/** A phone's screen in CSS pixels: the `phone` project's (playwright.config.ts), and what the desktop journeys narrow to. */
export const PHONE_SCREEN = { width: 390, height: 844 };

/**
 * The page as it is, narrowed to a phone's width, fits it too: for the admins' pages, which a journey on
 * a desktop has filled, so the journey need not run again at a phone's size to show they fit one. The
 * console's layout follows the width through CSS alone, so a narrowed window lays out as a phone does.
 */
export async function expectFitsAPhone(page: Page, what: string): Promise<void> {
  const before = page.viewportSize();
  await page.setViewportSize(PHONE_SCREEN);
  try {
    await expectFitsTheScreen(page, `${what} at a phone's width`);
  } finally {
    if (before) await page.setViewportSize(before);
  }
}
