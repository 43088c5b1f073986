/**
 * A training's two charts side by side, loss and accuracy, over one x axis: the training panel's run (its batches
 * and the test set) and the editor's compared runs (one curve each) alike. Each curve gives both measures;
 * accuracy in percent.
 */
import { LineChart } from './LineChart';

type Points = Array<[number, number]>;

export interface LossAccuracyCurve {
  label: string;
  /** The series' colour class (styles.css, editor.css). */
  className: string;
  loss: Points;
  /** In percent. */
  accuracy: Points;
}

export interface LossAccuracyChartsProps {
  /** The loss chart's title and the accuracy chart's ("Loss", "Accuracy"). */
  titles: readonly [loss: string, accuracy: string];
  xLabel: string;
  xMax: number;
  describeX(x: number): string;
  curves: readonly LossAccuracyCurve[];
}

const formatLoss = (v: number) => v.toFixed(v < 0.1 ? 3 : 2);
const formatPercent = (v: number) => `${v.toFixed(v >= 99.5 || v < 10 ? 2 : 1)}%`;

export function LossAccuracyCharts({ titles, xLabel, xMax, describeX, curves }: LossAccuracyChartsProps) {
  const series = (measure: 'loss' | 'accuracy') => curves.map(({ label, className, ...points }) => ({ label, className, points: points[measure] }));
  return (
    <div className="charts">
      <LineChart title={titles[0]} xLabel={xLabel} yLabel="cross-entropy" xMax={xMax} yBounds={[0, Infinity]} format={formatLoss} describeX={describeX} series={series('loss')} />
      <LineChart title={titles[1]} xLabel={xLabel} yLabel="accuracy (%)" xMax={xMax} yBounds={[0, 100]} format={formatPercent} describeX={describeX} series={series('accuracy')} />
    </div>
  );
}
