/** Whether a picked file is read as a Keras model file (HDF5 `.h5`, or Keras 3's `.keras` zip), by its name. */
export const isKerasFileName = (name: string): boolean => /\.(h5|hdf5|keras)$/i.test(name);
