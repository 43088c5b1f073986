/**
 * The network editor's core, free of TensorFlow.js and the DOM, for the page and the workers alike: the
 * definition (networkDefinition.ts) starting from the workshop's network, what it means (layerShapes.ts), why it
 * cannot work (definitionProblems.ts), its Keras text (kerasText.ts) and the time an epoch should take
 * (epochEstimate.ts), what differs between two runs' settings (runDifferences.ts), the prepared experiments
 * (experiments.ts), and the check of a definition read back from storage (storedDefinition.ts).
 */
export * from './networkDefinition';
export * from './workshopNetwork';
export * from './layerShapes';
export * from './definitionProblems';
export * from './kerasText';
export * from './epochEstimate';
export * from './runDifferences';
export * from './experiments';
export * from './storedDefinition';
