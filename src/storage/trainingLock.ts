/**
 * The Web Lock a training run holds in whichever tab trains (released when the run ends, or its tab closes or
 * crashes): one run at a time across the app's tabs (worker/train.worker.ts), and the page's "Update now" waits for
 * it, since the new version would take over a training tab's page too (pwa/serviceWorker.ts).
 */
export const TRAINING_LOCK = 'digit-lab-training';
