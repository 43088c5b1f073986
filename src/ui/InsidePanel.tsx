/**
 * "Look inside": what each layer of the model in use (or of the run that trains) makes of the current drawing.
 * The input; each layer's feature maps or units as small images on one colour scale per layer, with the scale
 * shown; a selected map's filter weights and the arithmetic of one of its pixels; and "why this digit", the
 * saliency of the digit read and of the runner-up. Every map has a text alternative (layer, index, strongest
 * value). The numbers come from the prediction worker (useInside); this component only draws them.
 */
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { InsideView, LayerOutput } from '../model/inside';
import { type ConvFilters, extent, filterWeights, fingerprint, mapOf, pixelArithmetic, strongest } from '../model/insideArithmetic';
import './inside.css';
import { type Scale, legendGradient, paintValues, scaleFor } from './insideColours';
import type { InsideShown } from './useInside';

export interface InsidePanelProps {
  open: boolean;
  onToggle(): void;
  shown: InsideShown | undefined;
  message: string | undefined;
  /** A model is loaded and reads. */
  ready: boolean;
}

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2));
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A grid of values drawn pixel for pixel on a canvas (CSS scales it up, pixelated). */
function ValuesCanvas({ values, width, height, scale, label, className }: { values: ArrayLike<number>; width: number; height: number; scale: Scale; label: string; className?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    const pixels = paintValues(values, scale);
    const image = new ImageData(pixels, width, height);
    ctx.putImageData(image, 0, 0);
  }, [values, width, height, scale]);
  return <canvas ref={canvas} width={width} height={height} role="img" aria-label={label} className={className} />;
}

function Legend({ scale, caption }: { scale: Scale; caption: string }) {
  return (
    <div className="inside-legend">
      <span className="inside-legend-value">{fmt(scale.min)}</span>
      <span className="inside-legend-bar" style={{ backgroundImage: legendGradient(scale) }} aria-hidden="true" />
      <span className="inside-legend-value">{fmt(scale.max)}</span>
      <span className="inside-legend-caption">{caption}</span>
    </div>
  );
}

function describe(layer: LayerOutput, filters: ConvFilters | undefined, last: boolean): string {
  const units = layer.shape.at(-1) ?? 0;
  switch (layer.className) {
    case 'Conv2D': {
      const [kh, kw] = filters?.kernelShape ?? [3, 3];
      return `A convolution: each of its ${units} filters slides a ${kh}×${kw} window of weights over what the layer before it shows, multiplies and adds up; ${filters?.activation === 'relu' ? 'ReLU then keeps only the positive sums' : `then ${filters?.activation ?? 'its activation'}`}. A map is bright where its filter found its pattern. Select a map to see its filter and how one of its pixels is computed.`;
    }
    case 'MaxPooling2D':
      return 'Max pooling: keeps the largest value of each small block (2×2 here), so every map shrinks and a pattern counts wherever it sits in the block.';
    case 'AveragePooling2D':
      return 'Average pooling: the mean of each small block, so every map shrinks.';
    case 'Dense':
      return last
        ? `The output: one unit per digit. Each weighs every feature of the layer before${layer.activation === 'softmax' ? '; softmax turns their scores into the ten probabilities' : ''}.`
        : `A dense layer: each of its ${units} units weighs every value of the layer before it and adds them up${layer.activation === 'relu' ? ', then keeps the positive sums (ReLU)' : layer.activation && layer.activation !== 'linear' ? `, then applies ${layer.activation}` : ''}. These are the features the next layer reads.`;
    case 'Activation':
      return `Applies ${layer.activation ?? 'its activation'} to every value of the layer before${layer.activation === 'relu' ? ': positive values pass, the rest become 0' : ''}.`;
    default:
      return `${layer.className}: what the network passes on at this point.`;
  }
}

/** A selected map: by the layer's place in the model (a training run's copy names its layers otherwise) and the map's index. */
type Selection = { at: number; index: number } | undefined;

function MapsLayer({ layer, at, filters, last, selected, onSelect }: { layer: LayerOutput; at: number; filters: ConvFilters | undefined; last: boolean; selected: Selection; onSelect(s: Selection): void }) {
  const [h, w, c] = layer.shape as [number, number, number];
  const scale = useMemo(() => scaleFor(extent(layer.values)), [layer.values]);
  const maps = useMemo(() => Array.from({ length: c }, (_, i) => mapOf(layer.values, layer.shape, i)), [layer.values, layer.shape, c]);
  const chosen = selected?.at === at && selected.index < c ? selected.index : undefined;
  return (
    <section className="inside-layer" data-testid="layer-view" data-layer={layer.name} data-units={c} aria-labelledby={`inside-${layer.name}`}>
      <h3 id={`inside-${layer.name}`}>
        {layer.name} <span className="inside-kind">{layer.className}, {plural(c, 'map')} of {h}×{w}</span>
      </h3>
      <p className="inside-words">{describe(layer, filters, last)}</p>
      <Legend scale={scale} caption="one scale for every map of this layer" />
      <div className="inside-maps">
        {maps.map((map, i) => {
          const top = strongest(map, w);
          const label = `${layer.name} map ${i + 1} of ${c}: strongest activation ${fmt(top.value)} at row ${top.row + 1}, column ${top.col + 1}`;
          return (
            <button
              key={i}
              type="button"
              className="inside-map"
              data-index={i}
              aria-pressed={chosen === i}
              onClick={() => onSelect(chosen === i ? undefined : { at, index: i })}
            >
              <ValuesCanvas values={map} width={w} height={h} scale={scale} label={label} />
              <span className="inside-map-index" aria-hidden="true">
                {i + 1}
              </span>
            </button>
          );
        })}
      </div>
      {chosen !== undefined && (filters ? <FilterDetail filters={filters} map={chosen} output={maps[chosen]!} width={w} /> : <PoolDetail layer={layer} index={chosen} />)}
    </section>
  );
}

function PoolDetail({ layer, index }: { layer: LayerOutput; index: number }) {
  const what = layer.className.includes('Pooling')
    ? `each pixel is the ${layer.className.startsWith('Average') ? 'mean' : 'largest value'} of a block of the same map in the layer before.`
    : layer.className === 'Activation'
      ? `each pixel is ${layer.activation ?? 'its activation'} of the same pixel of the layer before.`
      : 'it has no filters to show.';
  return (
    <div className="inside-detail" data-testid="filter" data-layer={layer.name} data-index={index} data-weights="0">
      <h4>
        {layer.name}, map {index + 1}
      </h4>
      <p>This layer has no weights: {what}</p>
    </div>
  );
}

/** A kh x kw grid of numbers with their colours. */
function NumberGrid({ values, width, scale, caption }: { values: number[]; width: number; scale: Scale; caption: string }) {
  const colours = paintValues(values, scale);
  const rows = Array.from({ length: values.length / width }, (_, r) => values.slice(r * width, (r + 1) * width));
  return (
    <table className="inside-grid">
      <caption>{caption}</caption>
      <tbody>
        {rows.map((row, r) => (
          <tr key={r}>
            {row.map((v, k) => {
              const i = r * width + k;
              const [red, green, blue] = [colours[i * 4]!, colours[i * 4 + 1]!, colours[i * 4 + 2]!];
              const dark = 0.299 * red + 0.587 * green + 0.114 * blue < 128;
              return (
                <td key={k} style={{ background: `rgb(${red} ${green} ${blue})`, color: dark ? '#fff' : '#000' }}>
                  {fmt(v)}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function FilterDetail({ filters, map, output, width }: { filters: ConvFilters; map: number; output: Float32Array; width: number }) {
  const [kh, kw, ci, co] = filters.kernelShape;
  const weights = useMemo(() => Array.from({ length: ci }, (_, ch) => filterWeights(filters, map, ch)), [filters, map, ci]);
  const all = useMemo(() => Float32Array.from(weights.flat()), [weights]);
  const weightScale = useMemo(() => scaleFor({ min: Math.min(...all, -1e-6), max: Math.max(...all, 1e-6) }), [all]);
  const top = strongest(output, width);
  const sum = useMemo(() => pixelArithmetic(filters, map, top.row, top.col), [filters, map, top.row, top.col]);
  const byShare = [...sum.terms].sort((a, b) => Math.abs(b.sum) - Math.abs(a.sum));
  const lead = byShare[0]!;
  const patchScale = scaleFor(extent(lead.patch));
  const shownTerms = byShare.slice(0, 8);
  const rest = byShare.slice(8).reduce((s, t) => s + t.sum, 0);
  return (
    <div className="inside-detail" data-testid="filter" data-layer={filters.layer} data-index={map} data-weights={all.length} data-fingerprint={fingerprint(all)}>
      <h4>
        Filter of {filters.layer}, map {map + 1} of {co}
      </h4>
      <p className="inside-words">
        {ci === 1
          ? `Its ${kh}×${kw} weights, slid over the input image.`
          : `Its weights: one ${kh}×${kw} grid for each of the ${ci} maps of ${filters.inputFrom} it reads.`}{' '}
        Red weights add where the input is bright, blue ones subtract.
      </p>
      <Legend scale={weightScale} caption="weights" />
      <div className="inside-weights">
        {weights.map((wts, ch) => (
          <figure key={ch} className="inside-weight">
            <ValuesCanvas values={wts} width={kw} height={kh} scale={weightScale} label={`weights for ${ci === 1 ? 'the input' : `input map ${ch + 1}`}: ${wts.map(fmt).join(', ')}`} />
            {ci > 1 && <figcaption aria-hidden="true">{ch + 1}</figcaption>}
          </figure>
        ))}
      </div>
      <h4>
        How pixel (row {top.row + 1}, column {top.col + 1}) of this map is computed
      </h4>
      <p className="inside-words">
        {ci === 1 ? 'The input patch under the filter, times its weights, added up:' : `For each of the ${ci} maps read, the patch under the filter times its weights, added up; here the map that counts most, map ${lead.channel + 1} of ${filters.inputFrom}:`}
      </p>
      <div className="inside-arithmetic">
        <NumberGrid values={lead.patch} width={kw} scale={patchScale} caption={ci === 1 ? 'input patch' : `patch of map ${lead.channel + 1}`} />
        <span className="inside-op" aria-hidden="true">
          ×
        </span>
        <NumberGrid values={lead.weights} width={kw} scale={weightScale} caption="weights" />
        <span className="inside-op" aria-hidden="true">
          =
        </span>
        <span className="inside-op">{fmt(lead.sum)}</span>
      </div>
      <ul className="inside-sums">
        {ci > 1 &&
          shownTerms.map((t) => (
            <li key={t.channel}>
              map {t.channel + 1}: {fmt(t.sum)}
            </li>
          ))}
        {ci > 8 && <li>the other {ci - 8} maps: {fmt(rest)}</li>}
      </ul>
      <p className="inside-total" data-testid="pixel-arithmetic" data-output={sum.output?.toFixed(6) ?? ''}>
        sum {fmt(sum.total - sum.bias)} + bias {fmt(sum.bias)} = {fmt(sum.total)}
        {sum.output !== undefined && (
          <>
            {' '}
            → {sum.activation === 'relu' ? `ReLU: max(0, ${fmt(sum.total)})` : sum.activation} = <strong>{fmt(sum.output)}</strong> (the map shows {fmt(output[top.index]!)})
          </>
        )}
      </p>
    </div>
  );
}

function UnitsLayer({ layer, last }: { layer: LayerOutput; last: boolean }) {
  const units = layer.shape.at(-1)!;
  const scale = useMemo(() => scaleFor(extent(layer.values)), [layer.values]);
  const width = units <= 10 ? units : Math.ceil(Math.sqrt(units * 2));
  const height = Math.ceil(units / width);
  const padded = useMemo(() => {
    const out = new Float32Array(width * height).fill(scale.min);
    out.set(layer.values);
    return out;
  }, [layer.values, width, height, scale.min]);
  const top = strongest(layer.values, units);
  const label = `${layer.name}: ${plural(units, 'unit')}, strongest unit ${top.index + (last ? 0 : 1)} at ${fmt(top.value)}`;
  return (
    <section className="inside-layer" data-testid="layer-view" data-layer={layer.name} data-units={units} aria-labelledby={`inside-${layer.name}`}>
      <h3 id={`inside-${layer.name}`}>
        {layer.name} <span className="inside-kind">{layer.className}, {plural(units, 'unit')}</span>
      </h3>
      <p className="inside-words">{describe(layer, undefined, last)}</p>
      <Legend scale={scale} caption={last ? 'probability' : 'one scale for every unit'} />
      <ValuesCanvas values={padded} width={width} height={height} scale={scale} label={label} className={units <= 10 ? 'inside-units inside-outputs' : 'inside-units'} />
      {units <= 10 && (
        <ol className="inside-output-values" start={0} aria-hidden="true">
          {Array.from(layer.values, (v, i) => (
            <li key={i}>
              <span>{i}</span> {fmt(v)}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function Saliency({ view }: { view: InsideView }) {
  const scale = useMemo(() => scaleFor({ min: Math.min(...view.saliency.map((s) => extent(s.values).min), -1e-9), max: Math.max(...view.saliency.map((s) => extent(s.values).max), 1e-9) }), [view.saliency]);
  const method = view.saliency[0]?.method === 'occlusion' ? 'how much its score drops when each 4×4 block is blanked out' : `each pixel's ink times how fast the digit's ${view.score === 'logit' ? 'score' : 'log-probability'} grows with it (gradient × input)`;
  if (view.saliency.length === 0)
    return (
      <section className="inside-layer inside-why" data-testid="saliency" aria-labelledby="inside-why">
        <h3 id="inside-why">Why this digit</h3>
        <p className="inside-words">Shown for the model in use: while a run trains, the view leaves this out to leave the cores to training.</p>
      </section>
    );
  return (
    <section className="inside-layer inside-why" data-testid="saliency" aria-labelledby="inside-why">
      <h3 id="inside-why">Why this digit</h3>
      <p className="inside-words">Which strokes drove the reading: {method}. Red pushed towards the digit, blue against it.</p>
      <Legend scale={scale} caption="push towards the digit" />
      <div className="inside-saliency">
        {view.saliency.map((s, rank) => {
          const pushes = strongest(s.values, 28);
          return (
            <figure key={s.digit} data-digit={s.digit}>
              <ValuesCanvas
                values={s.values}
                width={28}
                height={28}
                scale={scale}
                label={`Saliency for ${s.digit} (${rank === 0 ? 'the digit read' : 'the runner-up'}, ${(view.probabilities[s.digit]! * 100).toFixed(1)}%): strongest push at row ${pushes.row + 1}, column ${pushes.col + 1}`}
              />
              <figcaption>
                {rank === 0 ? 'Read' : 'Runner-up'}: {s.digit} ({(view.probabilities[s.digit]! * 100).toFixed(1)}%)
              </figcaption>
            </figure>
          );
        })}
      </div>
    </section>
  );
}

/** Memoised: training progress re-renders the page four times a second, and this view has hundreds of elements. */
export const InsidePanel = memo(function InsidePanel({ open, onToggle, shown, message, ready }: InsidePanelProps) {
  const [selected, setSelected] = useState<Selection>(undefined);
  const view = shown?.view;
  const inputScale = useMemo<Scale>(() => ({ kind: 'sequential', min: 0, max: 1 }), []);
  const filtersOf = (name: string) => view?.filters.find((f) => f.layer === name);
  return (
    <section className="card inside-card" aria-labelledby="inside-heading">
      <h2 id="inside-heading">Inside the network</h2>
      <p className="hint">What each layer of the model makes of your drawing, computed on this device.</p>
      <button type="button" aria-expanded={open} aria-controls="inside-view" onClick={onToggle} disabled={!ready && !open}>
        Look inside
      </button>
      {open && (
        <div id="inside-view" className="inside" data-testid="inside" data-drawing={shown?.version ?? ''} data-source={shown?.source ?? ''} data-ms={view?.ms.toFixed(1) ?? ''}>
          {message && (
            <p role="alert" className="message error">
              {message}
            </p>
          )}
          {!view ? (
            <p className="hint">Draw a digit on the pad to see what each layer makes of it.</p>
          ) : (
            <>
              <p className="inside-source" data-testid="inside-source">
                {shown.source === 'training' && view.trainedTo
                  ? `The run training now: its weights after epoch ${view.trainedTo.epoch}, batch ${view.trainedTo.batch} (the model in use reads on unchanged).`
                  : 'The model in use.'}{' '}
                Computed in {view.ms.toFixed(0)} ms.
              </p>
              <section className="inside-layer" aria-labelledby="inside-input">
                <h3 id="inside-input">
                  Input <span className="inside-kind">28×28 pixels</span>
                </h3>
                <p className="inside-words">The drawing as the network gets it: 784 numbers from 0 (no ink) to 1.</p>
                <ValuesCanvas values={view.input} width={28} height={28} scale={inputScale} label="Input: the 28×28 image the network reads" className="inside-input" />
              </section>
              {view.layers.map((layer, i) =>
                layer.shape.length === 3 ? (
                  <MapsLayer key={`${i} ${layer.name}`} at={i} layer={layer} filters={filtersOf(layer.name)} last={i === view.layers.length - 1} selected={selected} onSelect={setSelected} />
                ) : (
                  <UnitsLayer key={`${i} ${layer.name}`} layer={layer} last={i === view.layers.length - 1} />
                ),
              )}
              <Saliency view={view} />
            </>
          )}
        </div>
      )}
    </section>
  );
});
