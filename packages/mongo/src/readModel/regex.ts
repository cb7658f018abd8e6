/** Escapes every regular-expression metacharacter: user text is matched literally, never as a pattern. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
