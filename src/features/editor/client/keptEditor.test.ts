import { describe, expect, it } from 'vitest';
import { EXPERIMENTS } from '../shared';
import { INITIAL_EDITOR, editorReducer } from './editorState';
import { KEPT_EDITOR_KEY, keepEditor, keptEditorText, loadKeptEditor, readKeptEditor } from './keptEditor';

/** localStorage's part the editor uses, in memory. */
function memoryStorage(entries: Record<string, string> = {}) {
  const map = new Map(Object.entries(entries));
  return { getItem: (key: string) => map.get(key) ?? null, setItem: (key: string, value: string) => void map.set(key, value), map };
}

const edited = editorReducer(editorReducer(INITIAL_EDITOR, { type: 'remove', index: 6 }), { type: 'training', change: { epochs: 2, images: 6000 } });

describe('the editor kept on the device', () => {
  it('keeps an edit and reads the same edit back, over a "reload"', () => {
    const storage = memoryStorage();
    keepEditor(storage, edited);
    expect(storage.map.has(KEPT_EDITOR_KEY)).toBe(true);
    expect(loadKeptEditor(storage)).toEqual(edited);
    const variant = EXPERIMENTS[0]!.variant;
    keepEditor(storage, { network: variant.network, training: variant.training });
    expect(loadKeptEditor(storage)).toEqual({ network: variant.network, training: variant.training });
  });

  it('starts from the workshop network when nothing is kept', () => {
    expect(loadKeptEditor(memoryStorage())).toBe(INITIAL_EDITOR);
    expect(loadKeptEditor(undefined)).toBe(INITIAL_EDITOR);
  });

  it('falls back to the workshop network on garbage, without throwing', () => {
    const garbage = [
      'not json {',
      'null',
      '42',
      '[]',
      JSON.stringify({ network: 'Conv2D', training: INITIAL_EDITOR.training }),
      JSON.stringify({ network: { input: [28, 28, 1], layers: [{ kind: 'Evil' }] }, training: INITIAL_EDITOR.training }),
      JSON.stringify({ ...edited, training: { ...edited.training, batchSize: -3 } }),
      JSON.stringify({ ...edited, training: { ...edited.training, optimizer: { name: 'rmsprop', learningRate: 0.1 } } }),
      JSON.stringify({ network: { ...edited.network, layers: [{ kind: 'Conv2D', filters: '8', kernelSize: 3, activation: 'relu', padding: 'valid' }] }, training: edited.training }),
      JSON.stringify({ network: { ...edited.network, input: [28, 28] }, training: edited.training }),
    ];
    for (const text of garbage) {
      expect(readKeptEditor(text), text).toBeUndefined();
      expect(loadKeptEditor(memoryStorage({ [KEPT_EDITOR_KEY]: text }))).toBe(INITIAL_EDITOR);
    }
  });

  it('falls back to the workshop network when storage itself throws (a locked-down profile)', () => {
    const refusing = {
      getItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
    };
    expect(loadKeptEditor(refusing)).toBe(INITIAL_EDITOR);
    expect(() => keepEditor(refusing, edited)).not.toThrow();
  });

  it('keeps an edit on its way (no Flatten before the Dense yet): the editor shows its problem', () => {
    const noFlatten = editorReducer(INITIAL_EDITOR, { type: 'remove', index: 4 });
    expect(readKeptEditor(keptEditorText(noFlatten) ?? null)).toEqual(noFlatten);
  });

  it('does not keep a setting being typed (an empty field): the last good edit stays', () => {
    const storage = memoryStorage();
    keepEditor(storage, edited);
    const typing = editorReducer(edited, { type: 'training', change: { epochs: Number.NaN } });
    expect(keptEditorText(typing)).toBeUndefined();
    keepEditor(storage, typing);
    expect(loadKeptEditor(storage)).toEqual(edited);
  });
});
