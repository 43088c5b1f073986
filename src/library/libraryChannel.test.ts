import { describe, expect, it } from 'vitest';
import { type LibraryMessage, openLibraryChannel } from './libraryChannel';

const nextMessages = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('the library channel between tabs', () => {
  it('tells the other tabs, not the sender, and ignores messages of another shape', async () => {
    const heard: LibraryMessage[] = [];
    const own: LibraryMessage[] = [];
    const tab = openLibraryChannel((m) => own.push(m));
    const other = openLibraryChannel((m) => heard.push(m));
    const stranger = new BroadcastChannel('digit-lab-library');
    try {
      tab.post({ type: 'active', id: 'abc', at: 12.5 });
      tab.post({ type: 'changed' });
      for (const odd of [null, 'changed', { type: 'active', id: '', at: 1 }, { type: 'active', id: 'x', at: 'now' }, { type: 'wipe' }]) stranger.postMessage(odd);
      await nextMessages();
      expect(heard).toEqual([{ type: 'active', id: 'abc', at: 12.5 }, { type: 'changed' }]);
      expect(own).toEqual([]);
    } finally {
      tab.close();
      other.close();
      stranger.close();
    }
  });
});
