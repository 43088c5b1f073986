/**
 * What the prediction workers of the app's open tabs tell each other about the model library: a model chosen
 * (made active) and when, and that the library changed (a model imported, trained, renamed, deleted). One
 * BroadcastChannel per worker; a message never comes back to the worker that sent it. No DOM.
 */
export type LibraryMessage = { type: 'active'; id: string; at: number } | { type: 'changed' };

const CHANNEL = 'digit-lab-library';

function isLibraryMessage(value: unknown): value is LibraryMessage {
  const m = value as Partial<Record<string, unknown>> | null;
  if (typeof m !== 'object' || m === null) return false;
  if (m.type === 'changed') return true;
  return m.type === 'active' && typeof m.id === 'string' && m.id !== '' && typeof m.at === 'number' && Number.isFinite(m.at);
}

export interface LibraryChannel {
  post(message: LibraryMessage): void;
  close(): void;
}

/** Opens the channel; `onMessage` hears the other tabs (messages of another shape, from another version, are ignored). */
export function openLibraryChannel(onMessage: (message: LibraryMessage) => void): LibraryChannel {
  if (typeof BroadcastChannel !== 'function') return { post: () => undefined, close: () => undefined };
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (event: MessageEvent<unknown>) => {
    if (isLibraryMessage(event.data)) onMessage(event.data);
  };
  return { post: (message) => channel.postMessage(message), close: () => channel.close() };
}
