/** Replays strokes with the mouse in a page: the one way the tests, benchmarks and screenshots draw. */
import type { Page } from '@playwright/test';

type Point = readonly [number, number];

/** `at` maps a stroke's point to page CSS pixels; `steps` mouse moves per segment (1: one per pen sample). */
export async function replayStrokes(page: Page, strokes: ReadonlyArray<readonly Point[]>, at: (p: Point) => Point, steps = 1): Promise<void> {
  for (const stroke of strokes) {
    await page.mouse.move(...at(stroke[0]!));
    await page.mouse.down();
    for (const point of stroke.slice(1)) await page.mouse.move(...at(point), { steps });
    await page.mouse.up();
  }
}
