/** Composition only: which panels the page has and which services they use. */
export function App() {
  return (
    <div className="app">
      <header className="app-header">
        <h1>Digit Lab</h1>
        <p className="tagline">Draw a digit. A neural network trained in your browser reads it. Nothing leaves your device.</p>
      </header>
      <main className="panels" />
    </div>
  );
}
