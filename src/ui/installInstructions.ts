/**
 * How to install Digit Lab where the browser offers no install prompt (`beforeinstallprompt` is Chromium's
 * alone): Safari and every iOS browser, Firefox. In words for the browser at hand, from its user agent. Pure.
 */
export function installInstructions(userAgent: string, touchPoints = 0): string {
  const ios = /iPhone|iPad|iPod/.test(userAgent) || (/Macintosh/.test(userAgent) && touchPoints > 1);
  if (ios) return 'To install Digit Lab on this iPhone or iPad: tap Share, then Add to Home Screen. It then opens full screen and works offline.';
  if (/Firefox\//.test(userAgent)) {
    return /Android/.test(userAgent)
      ? 'To install Digit Lab: open the menu (⋮), then Install. It then opens like an app and works offline.'
      : 'Firefox on a computer does not install web apps: keep this page bookmarked (it works offline once visited), or install it from Chrome, Edge or Safari.';
  }
  const safari = /Safari\//.test(userAgent) && !/Chrome\/|Chromium\/|Edg\//.test(userAgent);
  if (safari) return 'To install Digit Lab on this Mac: in Safari’s File menu, choose Add to Dock. It then opens as an app and works offline.';
  return 'To install Digit Lab: open the browser’s menu and choose Install Digit Lab (or Add to Home screen). It then opens like an app and works offline.';
}
