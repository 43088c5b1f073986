/** The formats a model exports in: TensorFlow.js Layers files, a Keras 3 `.keras` file, a Keras 2 `.h5` file. */
export const EXPORT_FORMATS = ['tfjs', 'keras', 'h5'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What each format is, in words for the export menu. */
export const EXPORT_FORMAT_LABELS: Record<ExportFormat, string> = {
  tfjs: 'TensorFlow.js (model.json + weights)',
  keras: 'Keras 3 (.keras)',
  h5: 'Keras 2 (.h5)',
};
