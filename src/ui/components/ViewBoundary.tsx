import { Component, type ReactNode } from 'react';
import { useT } from '../i18n/index.ts';

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
    return <ViewFailed name={this.props.name} error={error} retry={() => this.setState({ error: null })} />;
  }
}

function ViewFailed({ name, error, retry }: { name: string; error: Error; retry: () => void }) {
  const t = useT();
  return (
    <div className="view-error" role="alert" data-testid={`view-error-${name}`}>
      <p>
        <strong>{t('app.viewFailed', { view: t(`app.view.${name}`) })}</strong>
      </p>
      <p className="muted small">{error.message}</p>
      <button type="button" className="btn small" onClick={retry}>
        {t('app.retryView')}
      </button>
    </div>
  );
}
