/** My handwriting: the samples the user gave, per digit and as thumbnails, the personal model's state, forgetting. */
import { memo } from 'react';
import type { PersonalSample } from '../model/personal';
import { describeHabits } from '../model/personalHabits';
import type { HandwritingStatus } from '../worker/api';
import { DigitThumb } from './DigitThumb';
import type { HandwritingState } from './useHandwriting';

export interface HandwritingPanelProps {
  status?: HandwritingStatus;
  state: HandwritingState;
  message?: string;
  onRemove(id: string): void;
  onForget(): void;
  onEnable(enabled: boolean): void;
  /** The guided round runs now. */
  teaching: boolean;
  /** What the last guided round did. */
  teachingSummary?: string;
  canTeach: boolean;
  onTeach(): void;
}

function describe(state: HandwritingState, status: HandwritingStatus | undefined): string {
  const n = status?.samples.length ?? 0;
  const samples = n === 1 ? '1 sample' : `${n} samples`;
  if (state === 'learning') return `Learning your handwriting from ${samples}… Predictions keep coming meanwhile.`;
  const carried = status?.carried;
  if (n === 0 && state === 'personal') return 'The personal model that came with this model’s files reads. Tap the digit you meant to add samples of your own.';
  if (n === 0 && carried?.problem) return `This model’s files bring a personal memory that cannot be read (${carried.problem}), so the base model reads.`;
  if (n === 0 && carried && !status?.enabled) return 'The personal model that came with this model’s files is switched off, so the base model reads.';
  if (n === 0) return 'No samples yet: when a reading is wrong, tap the digit you meant. Your samples stay on this device.';
  if (status?.unavailable) return `${samples}; the model in use cannot learn them (${status.unavailable}).`;
  if (state === 'personal') return `${samples}; your personal model reads. ${[describeHabits(status?.personal?.learnt ?? []), status?.personal?.reason ?? ''].filter(Boolean).join(' ')}`;
  if (status?.personal?.accepted && !status.enabled) return `${samples}; your personal model is switched off, so the base model reads.`;
  return status?.personal?.reason ? `${samples}. ${status.personal.reason}` : `${samples}; the base model reads.`;
}

function HandwritingPanelView({ status, state, message, onRemove, onForget, onEnable, teaching, teachingSummary, canTeach, onTeach }: HandwritingPanelProps) {
  const samples = status?.samples ?? [];
  const byDigit = Array.from({ length: 10 }, (_, d) => samples.filter((s) => s.label === d));
  return (
    <section className="card handwriting" aria-labelledby="handwriting-heading">
      <h2 id="handwriting-heading">My handwriting</h2>
      <p
        data-testid="handwriting"
        data-samples={samples.length}
        data-state={state}
        data-mnist-base={status?.personal?.checks.mnistBase}
        data-mnist-personal={status?.personal?.checks.mnistPersonal}
        role="status"
      >
        {describe(state, status)}
      </p>
      <div className="teach">
        <button
          type="button"
          onClick={() => {
            onTeach();
            document.querySelector('canvas[aria-label="Drawing pad"]')?.scrollIntoView({ block: 'center', behavior: 'smooth' });
          }}
          disabled={teaching || !canTeach || Boolean(status?.unavailable)}
        >
          Teach it my handwriting
        </button>
        <span className="teach-hint">{teaching ? 'The pad asks for each digit in turn.' : 'Draw each digit twice, as the pad asks: under a minute.'}</span>
      </div>
      {teachingSummary && <p className="message info">{teachingSummary}</p>}
      {message && (
        <p className="message error" role="alert">
          {message}
        </p>
      )}
      {samples.length > 0 && (
        <>
          <table className="sample-counts" aria-label="Samples per digit">
            <thead>
              <tr>
                {byDigit.map((_, d) => (
                  <th key={d} scope="col">
                    {d}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr>
                {byDigit.map((list, d) => (
                  <td key={d}>{list.length}</td>
                ))}
              </tr>
            </tbody>
          </table>
          <ul className="samples" aria-label="Your samples">
            {samples.map((s: PersonalSample) => (
              <li key={s.id}>
                <DigitThumb pixels={s.pixels} label={`Your ${s.label}`} />
                <span>{s.label}</span>
                <button type="button" aria-label={`Delete this sample of a ${s.label}`} title="Delete this sample" onClick={() => onRemove(s.id)}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <label className="personal-switch">
        <input type="checkbox" checked={status?.enabled ?? true} disabled={!status} onChange={(e) => onEnable(e.target.checked)} />
        Use my personal model where it reads better
      </label>
      <button type="button" onClick={onForget} disabled={!status || (samples.length === 0 && !status.personal && !status.carried)}>
        Forget my handwriting
      </button>
    </section>
  );
}

/** Re-renders only when its own props change. */
export const HandwritingPanel = memo(HandwritingPanelView);
