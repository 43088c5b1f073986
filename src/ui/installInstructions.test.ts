import { describe, expect, it } from 'vitest';
import { installInstructions } from './installInstructions';

describe('install instructions where there is no install prompt', () => {
  it('say what to tap in each browser', () => {
    expect(installInstructions('Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1')).toMatch(/Share, then Add to Home Screen/);
    // iPadOS reports a Mac; its touch points give it away.
    expect(installInstructions('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15', 5)).toMatch(/Add to Home Screen/);
    expect(installInstructions('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15')).toMatch(/Add to Dock/);
    expect(installInstructions('Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0')).toMatch(/does not install web apps/);
    expect(installInstructions('Mozilla/5.0 (Android 15; Mobile; rv:153.0) Gecko/153.0 Firefox/153.0')).toMatch(/menu \(⋮\), then Install/);
    expect(installInstructions('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36')).toMatch(/Install Digit Lab/);
  });
});
