'use client';

/**
 * A polite live region listing what was corrected in the URL's parameters. The element is always
 * present (so screen readers register the live region before it fills); it is empty when all is well.
 * Notices are rendered as text nodes, never as HTML.
 */
export default function Notice({ notices, onDismiss }: { notices: string[]; onDismiss?: () => void }) {
  return (
    <div className="notice" role="status" data-notice="">
      {notices.length > 0 && (
        <>
          <p className="notice__title">Some settings from the link were adjusted:</p>
          <ul className="notice__list">
            {notices.map((n, i) => (
              <li key={i}>{n}</li>
            ))}
          </ul>
          {onDismiss && (
            <button type="button" className="notice__dismiss" onClick={onDismiss}>
              Dismiss
            </button>
          )}
        </>
      )}
    </div>
  );
}
