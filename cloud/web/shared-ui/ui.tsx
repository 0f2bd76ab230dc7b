import type { ReactNode } from 'react';

export function Loading({ label }: { label: string }) {
  return (
    <p role="status" className="muted">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

/** An error with what to do next (a retry button when the action can simply be repeated). */
export function ErrorNotice({
  title,
  message,
  onRetry,
}: {
  title: string;
  message: string;
  onRetry?: () => void;
}) {
  return (
    <div className="alert error" role="alert">
      <strong>{title}</strong>
      <span>{message}</span>
      {onRetry && (
        <div style={{ marginTop: 8 }}>
          <button type="button" className="btn small secondary" onClick={onRetry}>
            Try again
          </button>
        </div>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

export function Field({ label, hint, children }: { label: string; hint?: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the `children` it wraps
    <label className="field">
      <span>{label}</span>
      {children}
      {hint && <span className="hint">{hint}</span>}
    </label>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge ${status}`}>{status.replace('_', ' ')}</span>;
}
