/**
 * The end-to-end tests' `test`: Playwright's, with one page object per panel of Digit Lab as fixtures, all on the
 * test's `page`. Specs ask for the panels they use (`async ({ drawing, training }) => ...`) and speak through them.
 * A test with a page of its own (another context, a persistent profile, a phone viewport) gets the same objects
 * for it from `panelsFor(page)`.
 *
 * The page objects (e2e/pages/) find things by accessible roles and names, visible text and the app's test ids and
 * data attributes, the UI contract's names (shared/notes/ui-contract.md) exactly; specs hold no selectors of their own.
 */
import { type Browser, type Page, test as base } from '@playwright/test';
import { AboutPanel } from './pages/AboutPanel';
import { AppBar } from './pages/AppBar';
import { DigitLab } from './pages/DigitLab';
import { DrawingPanel } from './pages/DrawingPanel';
import { EditorPanel } from './pages/EditorPanel';
import { EvaluationPanel } from './pages/EvaluationPanel';
import { HandwritingPanel } from './pages/HandwritingPanel';
import { InsidePanel } from './pages/InsidePanel';
import { ModelLibrary } from './pages/ModelLibrary';
import { ModelStatusPanel } from './pages/ModelStatusPanel';
import { TrainingPanel } from './pages/TrainingPanel';

export { expect } from '@playwright/test';
export { AboutPanel, AppBar, DigitLab, DrawingPanel, EditorPanel, EvaluationPanel, HandwritingPanel, InsidePanel, ModelLibrary, ModelStatusPanel, TrainingPanel };

export interface DigitLabPanels {
  /** The page as a whole: open, reload, service worker, alerts. */
  app: DigitLab;
  appBar: AppBar;
  drawing: DrawingPanel;
  training: TrainingPanel;
  modelStatus: ModelStatusPanel;
  library: ModelLibrary;
  evaluation: EvaluationPanel;
  handwriting: HandwritingPanel;
  about: AboutPanel;
  /** "Look inside": the layers of the model for the drawing. */
  inside: InsidePanel;
  /** "Your own network": the network editor, its runs and their comparison. */
  editor: EditorPanel;
}

/**
 * A browser profile that has never seen the app (no IndexedDB, no cache), on the app with the model `files`
 * imported and reading; close its context when done.
 */
export async function freshProfileImporting(browser: Browser, files: string[]): Promise<DigitLabPanels & { close(): Promise<void> }> {
  const context = await browser.newContext();
  const panels = panelsFor(await context.newPage());
  await panels.app.goto();
  await panels.modelStatus.waitForModel('pretrained');
  await panels.library.importFiles(files);
  await panels.modelStatus.waitForModel('imported');
  return { ...panels, close: () => context.close() };
}

/** The page objects of every panel, for `page`. */
export function panelsFor(page: Page): DigitLabPanels {
  return {
    app: new DigitLab(page),
    appBar: new AppBar(page),
    drawing: new DrawingPanel(page),
    training: new TrainingPanel(page),
    modelStatus: new ModelStatusPanel(page),
    library: new ModelLibrary(page),
    evaluation: new EvaluationPanel(page),
    handwriting: new HandwritingPanel(page),
    about: new AboutPanel(page),
    inside: new InsidePanel(page),
    editor: new EditorPanel(page),
  };
}

export const test = base.extend<DigitLabPanels>({
  app: async ({ page }, use) => use(new DigitLab(page)),
  appBar: async ({ page }, use) => use(new AppBar(page)),
  drawing: async ({ page }, use) => use(new DrawingPanel(page)),
  training: async ({ page }, use) => use(new TrainingPanel(page)),
  modelStatus: async ({ page }, use) => use(new ModelStatusPanel(page)),
  library: async ({ page }, use) => use(new ModelLibrary(page)),
  evaluation: async ({ page }, use) => use(new EvaluationPanel(page)),
  handwriting: async ({ page }, use) => use(new HandwritingPanel(page)),
  about: async ({ page }, use) => use(new AboutPanel(page)),
  inside: async ({ page }, use) => use(new InsidePanel(page)),
  editor: async ({ page }, use) => use(new EditorPanel(page)),
});
