/** The guided round's prompt beside the pad: which digit to draw now, and Keep, Skip, Stop. */
import { memo } from 'react';
import { type EnrollmentRound, askedDigit, drawingOfDigit, readsWell } from './enrollmentRound';

export interface EnrollmentPromptProps {
  round: EnrollmentRound;
  /** The reading of the current drawing, once it has come; null while nothing is drawn or it is on its way. */
  probabilities: readonly number[] | null;
  canKeep: boolean;
  onKeep(): void;
  onSkip(): void;
  onStop(): void;
}

function EnrollmentPromptView({ round, probabilities, canKeep, onKeep, onSkip, onStop }: EnrollmentPromptProps) {
  const digit = askedDigit(round);
  const { index, of } = drawingOfDigit(round);
  const well = readsWell(probabilities, digit);
  return (
    <div className="enrollment" data-testid="enrollment" data-digit={digit} role="group" aria-labelledby="enrollment-heading">
      <p id="enrollment-heading" className="enrollment-ask" aria-live="polite">
        Draw a <strong className="enrollment-digit">{digit}</strong> as you usually write it ({index} of {of}).
      </p>
      <p className="enrollment-hint">
        {well ? `It already reads this as a ${digit}: keep it, or skip this digit.` : `${round.kept} kept so far; drawings stay on this device.`}
      </p>
      <div className="pad-buttons">
        <button type="button" onClick={onKeep} disabled={!canKeep}>
          Keep this drawing
        </button>
        <button type="button" onClick={onSkip}>
          Skip this digit
        </button>
        <button type="button" onClick={onStop}>
          Stop teaching
        </button>
      </div>
    </div>
  );
}

export const EnrollmentPrompt = memo(EnrollmentPromptView);
