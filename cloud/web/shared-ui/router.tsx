import { type MouseEvent, type ReactNode, useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();
const notify = () => {
  for (const listener of listeners) listener();
};
if (typeof window !== 'undefined') window.addEventListener('popstate', notify);

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
const currentPath = () => window.location.pathname;

/** The current path; re-renders on `navigate` and on back/forward. */
export function usePath(): string {
  return useSyncExternalStore(subscribe, currentPath, currentPath);
}

export function navigate(path: string): void {
  if (path === window.location.pathname + window.location.search) return;
  window.history.pushState(null, '', path);
  notify();
  window.scrollTo(0, 0);
  // Move focus to the new page's heading, as a full page load would for a screen reader.
  requestAnimationFrame(() => document.querySelector<HTMLElement>('main h1')?.focus());
}

export function Link({ to, children, className }: { to: string; children: ReactNode; className?: string }) {
  const path = usePath();
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={onClick} className={className} aria-current={path === to ? 'page' : undefined}>
      {children}
    </a>
  );
}
