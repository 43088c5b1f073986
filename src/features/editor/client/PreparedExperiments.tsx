/**
 * The prepared experiments (shared/experiments.ts) as the editor offers them: each question with what to look
 * for, a button that loads its variant ("Try: Without dropout") and one that loads the workshop's side to train
 * against it ("Baseline for: Without dropout"). Loading replaces the editor's network and training.
 */
import { useState } from 'react';
import { EXPERIMENTS, type Experiment, type ExperimentSetup } from '../shared';

export function PreparedExperiments({ onLoad, disabled }: { onLoad(setup: ExperimentSetup): void; disabled: boolean }) {
  const [loaded, setLoaded] = useState<{ experiment: Experiment; side: 'variant' | 'baseline' } | undefined>(undefined);
  const load = (experiment: Experiment, side: 'variant' | 'baseline') => {
    onLoad(experiment[side]);
    setLoaded({ experiment, side });
  };
  return (
    <section className="experiments" aria-labelledby="experiments-heading">
      <h3 id="experiments-heading">Prepared experiments</h3>
      <p className="hint">Each asks a question and leaves the answer to two runs: load one side, train it, load the other, train it, then tick both runs to compare them.</p>
      <ul className="experiment-list">
        {EXPERIMENTS.map((experiment) => (
          <li key={experiment.id} className="experiment" data-experiment={experiment.id}>
            <strong>{experiment.title}.</strong> {experiment.question}
            <span className="experiment-buttons">
              <button type="button" disabled={disabled} onClick={() => load(experiment, 'variant')}>
                Try: {experiment.title}
              </button>
              <button type="button" disabled={disabled} onClick={() => load(experiment, 'baseline')}>
                Baseline for: {experiment.title}
              </button>
            </span>
          </li>
        ))}
      </ul>
      {loaded && (
        <p className="experiment-loaded" role="status" data-testid="experiment-loaded" data-experiment={loaded.experiment.id} data-side={loaded.side}>
          Loaded {loaded.experiment[loaded.side].label} ({loaded.experiment.title}). What to look for: {loaded.experiment.lookFor}
        </p>
      )}
    </section>
  );
}
