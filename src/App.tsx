/** Composition only: which panels the page has and which services they use. */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { isAppCnn } from './model/architecture';
import { type Stroke, strokesToMnistInput } from './preprocess/mnistInput';
import { AboutPanel } from './ui/AboutPanel';
import { AppBar } from './ui/AppBar';
import { DrawingPad } from './ui/DrawingPad';
import { EvaluationPanel } from './ui/EvaluationPanel';
import { ModelLibrary } from './ui/ModelLibrary';
import { ModelStatus } from './ui/ModelStatus';
import { PanelBoundary } from './ui/PanelBoundary';
import { ModelInputPreview, PredictionPanel } from './ui/PredictionPanel';
import { TrainingPanel } from './ui/TrainingPanel';
import { usePredictor } from './ui/usePredictor';
import { usePwa } from './ui/usePwa';
import { useTrainer } from './ui/useTrainer';

export function App() {
  const pwa = usePwa();
  const predictor = usePredictor();
  const trainer = useTrainer(predictor.useModel, predictor.cardChanged);
  const [drawing, setDrawing] = useState<{ version: number; input: Float32Array | null }>({ version: 0, input: null });

  const onStrokes = useCallback(
    (strokes: readonly Stroke[], version: number) => {
      const input = strokesToMnistInput(strokes);
      setDrawing({ version, input });
      predictor.predict(version, input);
    },
    [predictor.predict],
  );

  // Storage figures follow what changes them: a model saved, imported or deleted; a training run ending. A burst
  // of changes (the start-up's) makes one refresh, half a second later, off the busy start.
  const { refreshStorage } = pwa;
  useEffect(() => {
    const timer = setTimeout(() => void refreshStorage(), 500);
    return () => clearTimeout(timer);
  }, [refreshStorage, predictor.models, trainer.state.phase]);

  const ready = Boolean(predictor.modelState.model) && !predictor.modelState.loading;
  const shown = drawing.input && predictor.result ? predictor.result : null;
  const busy = Boolean(drawing.input) && ready && predictor.result?.version !== drawing.version;

  const active = predictor.modelState.model;
  const canContinue = ready && active && isAppCnn(predictor.summary);
  const continuable = useMemo(() => (canContinue ? { id: active.id, name: active.card.name } : undefined), [canContinue, active]);

  return (
    <div className="app">
      <AppBar
        online={pwa.online}
        canInstall={pwa.canInstall}
        onInstall={pwa.install}
        updateWaiting={pwa.updateWaiting}
        training={trainer.state.phase !== 'idle'}
        onUpdate={pwa.applyUpdate}
      />
      <main className="panels">
        <PanelBoundary name="drawing">
          <section className="card draw" aria-labelledby="draw-heading">
            <h2 id="draw-heading">Draw a digit</h2>
            <div className="draw-layout">
              <DrawingPad onStrokes={onStrokes} />
              <div className="draw-side">
                <PredictionPanel probabilities={ready ? (shown?.probabilities ?? null) : null} busy={busy} />
                <ModelInputPreview input={drawing.input} />
              </div>
            </div>
          </section>
        </PanelBoundary>
        <PanelBoundary name="training">
          <TrainingPanel state={trainer.state} continuable={continuable} onTrain={trainer.start} onCancel={trainer.cancel} />
        </PanelBoundary>
        <PanelBoundary name="model">
          <ModelStatus state={predictor.modelState} />
        </PanelBoundary>
        <PanelBoundary name="models">
          <ModelLibrary
            models={predictor.models}
            activeId={predictor.modelState.model?.id}
            summary={predictor.summary}
            message={predictor.libraryMessage}
            busy={predictor.modelState.loading}
            onUse={predictor.useModel}
            onRename={predictor.renameModel}
            onDelete={predictor.deleteModel}
            onImport={predictor.importFiles}
            onExport={predictor.exportActive}
          />
        </PanelBoundary>
        <PanelBoundary name="about">
          <AboutPanel storage={pwa.storage} onRefresh={pwa.refreshStorage} onPersist={pwa.requestPersistence} />
        </PanelBoundary>
        <PanelBoundary name="evaluation">
          <EvaluationPanel
            evaluation={trainer.evaluation}
            modelId={ready ? predictor.modelState.model?.id : undefined}
            canRun={trainer.state.phase === 'idle'}
            onEvaluate={trainer.evaluate}
            testImages={trainer.testImages}
          />
        </PanelBoundary>
      </main>
    </div>
  );
}
