import { Component, type ReactNode } from 'react';
import { translate } from '../i18n/index.ts';
import { labStore } from '../store.ts';

/**
 * Keeps one view's failure inside that view: the rest of the app keeps working, and the user reads
 * what broke (in words, in the current language) with a button to try the view again.
 */
export class ViewBoundary extends Component<{ name: string; children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error): { error: Error } {
    return { error };
  }

  override componentDidCatch(error: Error): void {
    console.error(`view ${this.props.name} failed:`, error);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    const lang = labStore.getState().lang;
    return (
      <div className="view-error" role="alert" data-testid={`view-error-${this.props.name}`}>
        <p>
          <strong>{translate(lang, 'app.viewFailed', { view: translate(lang, `app.view.${this.props.name}`) })}</strong>
        </p>
        <p className="muted small">{error.message}</p>
        <button type="button" className="btn small" onClick={() => this.setState({ error: null })}>
          {translate(lang, 'app.retryView')}
        </button>
      </div>
    );
  }
}
