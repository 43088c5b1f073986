/**
 * The editor's network and training kept on this device (localStorage, one versioned key), so that a reload, or
 * another tab, finds the edit where it was left. The page cannot reach IndexedDB but through the workers, and the
 * training worker starts late; localStorage is there at once, so the editor opens on the kept edit, and its
 * `storage` event brings another tab's edits here. What is read back is checked (shared/storedDefinition.ts):
 * anything else, garbage included, gives the workshop's network.
 */
import { type Dispatch, useEffect, useReducer } from 'react';
import { type DefinitionProblem, storedDefinition } from '../shared';
import { type EditorAction, type EditorState, INITIAL_EDITOR, editorReducer } from './editorState';

/** Version 1: `{ network, training }` as the editor holds them (shared/networkDefinition.ts), as JSON. */
export const KEPT_EDITOR_KEY = 'digit-lab.editor.v1';

/**
 * A kept edit may be one the editor says cannot be trained yet (a Dense without its Flatten, say: an edit on its
 * way), but every setting must be one the editor takes: a value out of range is garbage, or a field being typed.
 */
const isEditInProgress = (problem: DefinitionProblem) => problem.code !== 'layer-setting' && problem.code !== 'training-setting';

/** The kept edit in `text` (the key's value), or undefined when there is none or it is not one. */
export function readKeptEditor(text: string | null): EditorState | undefined {
  if (text === null) return undefined;
  try {
    return storedDefinition(JSON.parse(text), isEditInProgress);
  } catch {
    return undefined;
  }
}

/** What to keep for `state`; undefined while a setting is out of range (being typed): the last good edit stays. */
export function keptEditorText(state: EditorState): string | undefined {
  const text = JSON.stringify({ network: state.network, training: state.training });
  return readKeptEditor(text) ? text : undefined;
}

/** The kept edit, else the workshop's network (also where storage cannot be read: a locked-down profile). */
export function loadKeptEditor(storage: Pick<Storage, 'getItem'> | undefined): EditorState {
  try {
    return readKeptEditor(storage?.getItem(KEPT_EDITOR_KEY) ?? null) ?? INITIAL_EDITOR;
  } catch {
    return INITIAL_EDITOR;
  }
}

/** Keeps `state` unless a setting is being typed; a storage that refuses (full, locked down) keeps nothing. */
export function keepEditor(storage: Pick<Storage, 'setItem'> | undefined, state: EditorState): void {
  const text = keptEditorText(state);
  if (text === undefined) return;
  try {
    storage?.setItem(KEPT_EDITOR_KEY, text);
  } catch {
    // nothing kept: the edit stays on the page
  }
}

function localStorageOrNone(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined; // a profile that refuses it throws on access
  }
}

/** The editor's state as editorReducer keeps it, read from this device at first and kept on it at each change. */
export function useKeptEditor(): [EditorState, Dispatch<EditorAction>] {
  const [editor, dispatch] = useReducer(editorReducer, undefined, () => loadKeptEditor(localStorageOrNone()));
  useEffect(() => keepEditor(localStorageOrNone(), editor), [editor]);
  // Another tab's edit (the same text it keeps here then changes nothing, so two tabs never echo each other).
  useEffect(() => {
    const follow = (event: StorageEvent) => {
      if (event.key !== KEPT_EDITOR_KEY) return;
      const kept = readKeptEditor(event.newValue);
      if (kept) dispatch({ type: 'setup', ...kept });
    };
    addEventListener('storage', follow);
    return () => removeEventListener('storage', follow);
  }, []);
  return [editor, dispatch];
}
