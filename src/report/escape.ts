/** Escape text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * Escape text for a Markdown table cell: HTML-significant characters become entities (Markdown passes raw HTML
 * through), the punctuation that is markup inside a line (code, emphasis, links, table pipes, strikethrough) is
 * backslash-escaped, and newlines become spaces so a cell stays on its row.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)
    .replace(/([\\`*_[\]|~])/g, '\\$1');
}

/**
 * JSON for an inline `<script type="application/json">`: `<`, `>`, `&` and the line separators become \u escapes, so
 * no string in it can close the script element.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
