/** A small SVG line chart for training curves; no chart library needed. */
export interface Series {
  label: string;
  values: number[];
  className: string;
}

export function LineChart({ title, series, yMin = 0, yMax }: { title: string; series: Series[]; yMin?: number; yMax?: number }) {
  const width = 300;
  const height = 120;
  const all = series.flatMap((s) => s.values).filter(Number.isFinite);
  const top = yMax ?? Math.max(1e-6, ...all);
  const longest = Math.max(2, ...series.map((s) => s.values.length));
  const path = (values: number[]) => {
    // At most ~300 points: average neighbouring batches so long runs stay light.
    const step = Math.max(1, Math.ceil(values.length / width));
    const points: string[] = [];
    for (let i = 0; i < values.length; i += step) {
      const chunk = values.slice(i, i + step);
      const v = chunk.reduce((a, b) => a + b, 0) / chunk.length;
      const x = ((i + (chunk.length - 1) / 2) / (longest - 1)) * width;
      const y = height - ((Math.min(v, top) - yMin) / (top - yMin)) * height;
      points.push(`${x.toFixed(1)},${y.toFixed(1)}`);
    }
    return points.join(' ');
  };
  return (
    <figure className="chart">
      <figcaption>
        {title}
        {series.map((s) => (
          <span key={s.label} className={`legend ${s.className}`}>
            {s.label}
            {s.values.length ? `: ${s.values.at(-1)!.toFixed(3)}` : ''}
          </span>
        ))}
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title} preserveAspectRatio="none">
        {series.map((s) =>
          s.values.length === 1 ? (
            <circle key={s.label} className={s.className} cx={width / 2} cy={height - ((s.values[0]! - yMin) / (top - yMin)) * height} r="3" />
          ) : (
            <polyline key={s.label} className={s.className} points={path(s.values)} fill="none" />
          ),
        )}
      </svg>
    </figure>
  );
}
