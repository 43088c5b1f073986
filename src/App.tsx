/** Composition only: which panels the page has and which services they use. */
import { useCallback, useState } from 'react';
import { DrawingPad } from './ui/DrawingPad';
import { ModelStatus } from './ui/ModelStatus';
import { ModelInputPreview, PredictionPanel } from './ui/PredictionPanel';
import { TrainingPanel } from './ui/TrainingPanel';
import { usePredictor } from './ui/usePredictor';
import { useTrainer } from './ui/useTrainer';
import { type InkImage, toMnistInput } from './preprocess/mnistInput';

export function App() {
  const predictor = usePredictor();
  const trainer = useTrainer(predictor.useModel);
  const [drawing, setDrawing] = useState<{ version: number; input: Float32Array | null }>({ version: 0, input: null });

  const onInk = useCallback(
    (ink: InkImage | null, version: number) => {
      const input = ink ? toMnistInput(ink) : null;
      setDrawing({ version, input });
      predictor.predict(version, input);
    },
    [predictor.predict],
  );

  const ready = Boolean(predictor.modelState.model) && !predictor.modelState.loading;
  const shown = drawing.input && predictor.result ? predictor.result : null;
  const busy = Boolean(drawing.input) && ready && predictor.result?.version !== drawing.version;

  return (
    <div className="app">
      <header className="app-header">
        <h1>Digit Lab</h1>
        <p className="tagline">Draw a digit. A neural network reads it, right here. Nothing leaves your device.</p>
      </header>
      <main className="panels">
        <section className="card draw" aria-labelledby="draw-heading">
          <h2 id="draw-heading">Draw a digit</h2>
          <div className="draw-layout">
            <DrawingPad onInk={onInk} />
            <div className="draw-side">
              <PredictionPanel probabilities={ready ? (shown?.probabilities ?? null) : null} busy={busy} />
              <ModelInputPreview input={drawing.input} />
            </div>
          </div>
        </section>
        <ModelStatus state={predictor.modelState} />
        <TrainingPanel state={trainer.state} onTrain={trainer.start} onCancel={trainer.cancel} />
      </main>
    </div>
  );
}
