/** Whether a model is the app's own CNN, from its layer summary (so it can be trained further). Pure. */

/** One layer as the model panel shows it. */
export interface LayerSummary {
  name: string;
  className: string;
  outputShape: string;
  parameters: number;
}

/** The CNN's layers as `className outputShape parameters`, as the prediction worker summarises them. */
export const APP_CNN_SIGNATURE = [
  'Conv2D [None,26,26,32] 320',
  'Conv2D [None,24,24,64] 18496',
  'MaxPooling2D [None,12,12,64] 0',
  'Dropout [None,12,12,64] 0',
  'Flatten [None,9216] 0',
  'Dense [None,128] 1179776',
  'Dropout [None,128] 0',
  'Dense [None,10] 1290',
];

export function isAppCnn(summary: ReadonlyArray<Pick<LayerSummary, 'className' | 'outputShape' | 'parameters'>>): boolean {
  return summary.map((l) => `${l.className} ${l.outputShape} ${l.parameters}`).join('|') === APP_CNN_SIGNATURE.join('|');
}

/** The same summary from a live tfjs model's layers. */
export function summarise(layers: ReadonlyArray<{ name: string; getClassName(): string; outputShape: unknown; countParams(): number }>): LayerSummary[] {
  return layers.map((layer) => ({
    name: layer.name,
    className: layer.getClassName(),
    outputShape: JSON.stringify(layer.outputShape).replaceAll('null', 'None'),
    parameters: layer.countParams(),
  }));
}
