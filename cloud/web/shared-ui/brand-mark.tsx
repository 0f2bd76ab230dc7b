/** The ClubOS mark: a pin flag on a green tile (SVG, so it renders without emoji fonts). */
export function BrandMark() {
  return (
    <span className="brand-mark" aria-hidden="true">
      <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
        <path d="M8 3v18" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
        <path d="M9 3.5l9 3.5-9 3.5z" fill="currentColor" />
        <ellipse cx="12" cy="20.5" rx="6" ry="1.5" fill="currentColor" opacity="0.45" />
      </svg>
    </span>
  );
}
