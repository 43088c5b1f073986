/** "What is it really?": one tap tells the app the digit the user meant, or confirms the one it read. */
import { memo } from 'react';

export interface CorrectionBarProps {
  /** The digit read now, or -1 when nothing is read. */
  read: number;
  canUndo: boolean;
  onCorrect(digit: number): void;
  onUndo(): void;
}

function CorrectionBarView({ read, canUndo, onCorrect, onUndo }: CorrectionBarProps) {
  const shown = read >= 0;
  return (
    <div className="corrections" role="group" aria-labelledby="corrections-heading">
      <p id="corrections-heading" className="corrections-heading">
        {shown ? 'Which digit did you mean? A tap teaches the app your handwriting.' : 'Draw a digit, then tell the app which one you meant.'}
      </p>
      <div className="correction-buttons">
        {Array.from({ length: 10 }, (_, digit) => (
          <button
            key={digit}
            type="button"
            className={digit === read ? 'read' : undefined}
            disabled={!shown}
            aria-label={`It's a ${digit}`}
            title={digit === read ? `Yes, it's a ${digit}` : `No, it's a ${digit}`}
            onClick={() => onCorrect(digit)}
          >
            {digit}
          </button>
        ))}
      </div>
      <button type="button" className="undo-correction" disabled={!canUndo} onClick={onUndo}>
        Undo correction
      </button>
    </div>
  );
}

/** Re-renders only when its own props change. */
export const CorrectionBar = memo(CorrectionBarView);
