/** Which model is in use, where it came from, and how good it is on the MNIST test set. */
import { memo } from 'react';
import { formatCount, formatDate } from './format';
import type { StoredModel } from '../model/modelCard';

export interface ModelState {
  model?: StoredModel;
  loading: boolean;
  /** What start-up is loading, once it says. */
  loadingWhat?: 'saved' | 'pretrained';
  message?: { kind: 'error' | 'info'; text: string };
}

/** `starting`: start-up is still loading the saved or the pre-trained model (the user may act meanwhile). */
function ModelStatusView({ state, starting }: { state: ModelState; starting: boolean }) {
  const card = state.model?.card;
  return (
    <section className="card model-status" aria-labelledby="model-heading">
      <h2 id="model-heading">Model</h2>
      <div data-testid="model-status" data-source={card?.source ?? 'none'} data-ready={Boolean(state.model && !state.loading)} data-startup={starting ? 'loading' : 'done'}>
        {state.loading && !card ? (
          <p>{state.loadingWhat === 'pretrained' ? 'Loading the pre-trained model…' : state.loadingWhat === 'saved' ? 'Loading your saved model…' : 'Loading the model…'}</p>
        ) : card ? (
          <>
            <p>
              <strong>{card.name}</strong> ({describeSource(card.source)})
            </p>
            <dl className="facts">
              <dt>Test accuracy</dt>
              <dd data-testid="test-accuracy">{card.testAccuracy !== undefined ? `${(card.testAccuracy * 100).toFixed(2)}%` : 'unknown'}</dd>
              {card.epochs !== undefined && (
                <>
                  <dt>Trained</dt>
                  <dd>
                    {card.epochs} epoch{card.epochs === 1 ? '' : 's'} on {card.trainImages === undefined ? '?' : formatCount(card.trainImages)} images
                    {card.backend ? ` (${card.backend}` : ''}
                    {card.trainingSeconds ? `, ${Math.round(card.trainingSeconds)} s` : ''}
                    {card.backend ? ')' : ''}
                  </dd>
                </>
              )}
              {card.penDigitsAccuracy !== undefined && (
                <>
                  <dt>Real handwriting</dt>
                  <dd>{(card.penDigitsAccuracy * 100).toFixed(1)}% of pen digits by 10 writers it never saw</dd>
                </>
              )}
              {card.recipe && (
                <>
                  <dt>Recipe</dt>
                  <dd title={card.recipeDetails}>{card.recipe === 'handwriting' ? 'for drawn digits (augmented)' : 'workshop original'}</dd>
                </>
              )}
              <dt>Date</dt>
              <dd>{formatDate(card.createdAt)}</dd>
            </dl>
          </>
        ) : (
          <p>No model yet. Train one below: it takes minutes, on your own device.</p>
        )}
      </div>
      {state.message && (
        <p className={`message ${state.message.kind}`} role={state.message.kind === 'error' ? 'alert' : 'status'}>
          {state.message.text}
        </p>
      )}
    </section>
  );
}

function describeSource(source: string): string {
  return source === 'pretrained' ? 'pre-trained, from this server' : source === 'trained' ? 'trained in this browser' : 'imported from a file';
}

/** Re-renders only when its own props change, not on every prediction. */
export const ModelStatus = memo(ModelStatusView);
