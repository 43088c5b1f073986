/**
 * How often "Look inside" follows a training run: the next copy of the run's weights is asked for only after a pause
 * in proportion to what the last view of them cost (its delivery to the prediction worker, the view there, its
 * painting in the page). With every core training, each millisecond of that stalls a step split over two workers
 * for about two: a share of LIVE_VIEW_SHARE keeps the view's cost near 2% of training on any device (measured
 * with `npm run bench`). Pure: the page measures (LiveViewCost), the training worker keeps the pause.
 */

/** The shortest pause between two copies. */
export const LIVE_WEIGHTS_INTERVAL_MS = 2000;
/** The longest: the view still follows a run on a slow device. */
export const LIVE_WEIGHTS_MAX_INTERVAL_MS = 15_000;
/** The share of the time a view of the run may take. */
export const LIVE_VIEW_SHARE = 0.01;

/** The pause before the next copy, given what the last view of the run cost (ms). */
export function liveInterval(viewCostMs: number | undefined): number {
  if (viewCostMs === undefined || !Number.isFinite(viewCostMs)) return LIVE_WEIGHTS_INTERVAL_MS;
  return Math.round(Math.min(LIVE_WEIGHTS_MAX_INTERVAL_MS, Math.max(LIVE_WEIGHTS_INTERVAL_MS, viewCostMs / LIVE_VIEW_SHARE)));
}

/** The page's stopwatch for one view of a run's weights: delivery, view, painting. */
export class LiveViewCost {
  private deliveryMs = 0;
  private viewMs = 0;
  private shownAt = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Times the delivery of a run's weights to the prediction worker. */
  async delivery<T>(deliver: () => Promise<T>): Promise<T> {
    const start = this.now();
    const result = await deliver();
    this.deliveryMs = this.now() - start;
    return result;
  }

  /** Times a view of the run's weights, up to its arrival in the page. */
  async view<T>(look: () => Promise<T>): Promise<T> {
    const start = this.now();
    const result = await look();
    this.viewMs = this.now() - start;
    this.shownAt = this.now();
    return result;
  }

  /** Once the view is painted: what it cost in all, or undefined if no timed view was waiting. */
  painted(): number | undefined {
    if (!this.shownAt) return undefined;
    const total = this.deliveryMs + this.viewMs + (this.now() - this.shownAt);
    this.shownAt = 0;
    return total;
  }
}
