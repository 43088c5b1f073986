/** Composition only: which panels the page has, and which hooks and workers feed them. */
import { useEffect } from 'react';
import { AboutPanel } from './ui/AboutPanel';
import { AppBar } from './ui/AppBar';
import { CorrectionBar } from './ui/CorrectionBar';
import { DrawingPad } from './ui/DrawingPad';
import { EnrollmentPrompt } from './ui/EnrollmentPrompt';
import { EvaluationPanel } from './ui/EvaluationPanel';
import { HandwritingPanel } from './ui/HandwritingPanel';
import { InsidePanel } from './ui/InsidePanel';
import { ModelLibrary } from './ui/ModelLibrary';
import { ModelStatus } from './ui/ModelStatus';
import { PanelBoundary } from './ui/PanelBoundary';
import { ModelInputPreview, PredictionPanel } from './ui/PredictionPanel';
import { TrainingPanel } from './ui/TrainingPanel';
import { useDrawing } from './ui/useDrawing';
import { useEnrollment } from './ui/useEnrollment';
import { useHandwriting } from './ui/useHandwriting';
import { useInside } from './ui/useInside';
import { useModelLibrary } from './ui/useModelLibrary';
import { usePrediction } from './ui/usePrediction';
import { usePwa } from './ui/usePwa';
import { useTrainer } from './ui/useTrainer';
import { useWorker } from './ui/useWorker';
import { openPredictor, openTrainer } from './ui/workers';
import { NetworkEditor } from './features/editor/client/NetworkEditor';
import { useRuns } from './features/editor/client/useRuns';

export function App() {
  const pwa = usePwa();
  const predictor = useWorker(openPredictor);
  const library = useModelLibrary(predictor);
  // Training comes second on the first screen: its worker (TensorFlow.js, a WebGL probe) starts once the model
  // that reads the drawings is settled and the page is idle, not in the page's busy start.
  const trainerWorker = useWorker(openTrainer, { enabled: library.settled, idle: true });
  const trainer = useTrainer(trainerWorker, library.adoptTrained, library.recordEvaluation);
  const runs = useRuns(trainerWorker, trainer.state.phase, library.removeModel);
  const { drawing, onStrokes } = useDrawing();
  const handwriting = useHandwriting(predictor, trainerWorker, library.loaded, drawing);
  const enrollment = useEnrollment(handwriting.correct, handwriting.learnNow);
  const reading = usePrediction(predictor, drawing, { model: library.loaded, personal: handwriting.status, ready: library.ready });
  const inside = useInside(predictor, trainerWorker, drawing, {
    model: library.ready ? library.loaded : undefined,
    readingBusy: reading.busy,
    training: trainer.state.phase === 'training',
    live: trainer.state.live,
  });

  // Storage figures follow what changes them: a model saved, imported or deleted; a training run ending. A burst
  // of changes (the start-up's) makes one refresh, half a second later, off the busy start.
  const { refreshStorage } = pwa;
  useEffect(() => {
    const timer = setTimeout(() => void refreshStorage(), 500);
    return () => clearTimeout(timer);
  }, [refreshStorage, library.models, trainer.state.phase]);

  // Once there is something to lose (a model trained or imported here, the user's handwriting), ask the browser
  // to keep it (once).
  const { persistOnce } = pwa;
  const somethingToLose = library.models.some((m) => m.card.source !== 'pretrained') || (handwriting.status?.samples.length ?? 0) > 0;
  useEffect(() => {
    if (somethingToLose) void persistOnce();
  }, [somethingToLose, persistOnce]);

  return (
    <div className="app">
      <AppBar
        online={pwa.online}
        canInstall={pwa.canInstall}
        onInstall={pwa.install}
        updateWaiting={pwa.updateWaiting}
        training={trainer.state.phase !== 'idle'}
        updateHeld={pwa.updateHeld}
        storageBlocked={library.storageBlocked}
        onUpdate={pwa.applyUpdate}
      />
      <main className="panels">
        <PanelBoundary name="drawing">
          <section className="card draw" aria-labelledby="draw-heading">
            <h2 id="draw-heading">Draw a digit</h2>
            <div className="draw-layout">
              <DrawingPad onStrokes={onStrokes} clearRequest={enrollment.clearRequest} />
              <div className="draw-side">
                {enrollment.round && (
                  <EnrollmentPrompt
                    round={enrollment.round}
                    probabilities={reading.busy ? null : reading.probabilities}
                    canKeep={drawing.input !== null}
                    onKeep={enrollment.keep}
                    onSkip={enrollment.skip}
                    onStop={enrollment.stop}
                  />
                )}
                <PredictionPanel probabilities={reading.probabilities} busy={reading.busy} drawing={drawing.version} onKeep={handwriting.correct} />
                <ModelInputPreview input={drawing.input} />
                <CorrectionBar read={reading.digit} canUndo={handwriting.canUndo} onCorrect={handwriting.correct} onUndo={handwriting.undo} />
              </div>
            </div>
          </section>
        </PanelBoundary>
        <PanelBoundary name="inside">
          <InsidePanel open={inside.open} onToggle={inside.toggle} shown={inside.shown} message={inside.message} ready={library.ready} />
        </PanelBoundary>
        <PanelBoundary name="training">
          <TrainingPanel state={trainer.state} ready={trainer.ready} continuable={library.continuable} onTrain={trainer.start} onCancel={trainer.cancel} />
        </PanelBoundary>
        <PanelBoundary name="network editor">
          <NetworkEditor
            state={trainer.state}
            ready={trainer.ready}
            onTrain={trainer.start}
            onCancel={trainer.cancel}
            runs={runs}
            onRemoveRun={runs.remove}
            models={library.models}
            activeModelId={library.modelState.model?.id}
          />
        </PanelBoundary>
        <PanelBoundary name="handwriting">
          <HandwritingPanel
            status={handwriting.status}
            state={handwriting.state}
            message={handwriting.message}
            onRemove={handwriting.remove}
            onForget={handwriting.forget}
            onEnable={handwriting.setEnabled}
            teaching={enrollment.round !== undefined}
            teachingSummary={enrollment.summary}
            canTeach={library.ready}
            onTeach={enrollment.start}
          />
        </PanelBoundary>
        <PanelBoundary name="model">
          <ModelStatus state={library.modelState} starting={!library.settled} />
        </PanelBoundary>
        <PanelBoundary name="models">
          <ModelLibrary
            models={library.models}
            activeId={library.modelState.model?.id}
            summary={library.summary}
            message={library.libraryMessage}
            busy={library.switching}
            onUse={library.switchTo}
            onRename={library.renameModel}
            onDelete={library.deleteModel}
            onImport={library.importFiles}
            onExport={library.exportActive}
          />
        </PanelBoundary>
        <PanelBoundary name="about">
          <AboutPanel storage={pwa.storage} onRefresh={pwa.refreshStorage} onPersist={pwa.requestPersistence} installHint={pwa.installHint} />
        </PanelBoundary>
        <PanelBoundary name="evaluation">
          <EvaluationPanel
            evaluation={trainer.evaluation}
            modelId={library.ready ? library.modelState.model?.id : undefined}
            canRun={trainer.ready && trainer.state.phase === 'idle'}
            onEvaluate={trainer.evaluate}
            testImages={trainer.testImages}
          />
        </PanelBoundary>
      </main>
    </div>
  );
}
