/** Keeps the rest of the page alive when one panel fails to render: that panel says so and offers a retry. */
import { Component, type ReactNode } from 'react';

interface Props {
  /** The panel's name, as the user knows it. */
  name: string;
  children: ReactNode;
}

export class PanelBoundary extends Component<Props, { error?: Error }> {
  override state: { error?: Error } = {};

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error): void {
    console.error(`The ${this.props.name} panel failed:`, error);
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <section className="card" aria-label={this.props.name}>
        <p className="message error" role="alert">
          The {this.props.name} panel hit a problem ({error.message}); the rest of the app still works.
        </p>
        <button type="button" onClick={() => this.setState({ error: undefined })}>
          Try again
        </button>
      </section>
    );
  }
}
