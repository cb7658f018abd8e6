const entities: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes a user-supplied value for HTML text and attribute values: names and addresses are never trusted. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => entities[c]!);
}

/** One line of text for a Subject header: control characters (CR/LF above all) become spaces. */
export function headerText(value: string): string {
  return value.replace(/\p{Cc}+/gu, ' ').trim();
}

/**
 * The HTML body around a template's paragraphs. Paragraphs are HTML already: templates build them with
 * {@link escapeHtml} around every value that came from a user.
 */
export function htmlDocument(title: string, paragraphs: readonly string[]): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head><meta charset="utf-8"><title>' + escapeHtml(title) + '</title></head>',
    '<body style="font-family: sans-serif; line-height: 1.5">',
    ...paragraphs.map((p) => `<p>${p}</p>`),
    '<p style="color: #666; font-size: 0.9em">eventfold user management. This message was sent automatically.</p>',
    '</body>',
    '</html>',
  ].join('\n');
}

/** The plain-text body: paragraphs separated by blank lines, and the same footer as the HTML. */
export function textDocument(paragraphs: readonly string[]): string {
  return (
    [...paragraphs, 'eventfold user management. This message was sent automatically.'].join('\n\n') + '\n'
  );
}

/** A greeting that does not need the name: change notices may go out before the notifier knows it. */
export const greeting = (name: string | null) => (name ? `Hello ${name},` : 'Hello,');

/**
 * An address shown to someone who may not own it any more (the notice to the old address): enough to recognise,
 * not enough to harvest. `ada.lovelace@example.org` → `a***@example.org`.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
}
