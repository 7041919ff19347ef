// With the u flag, only a surrogate that is not half of a pair matches.
const LONE_SURROGATE = /\p{Surrogate}/u;
const LONE_SURROGATES = /\p{Surrogate}/gu;

/**
 * Embeddings, overrides and isolates reorder the text after them, so a name or a title could read
 * differently from what it holds and spill into the page around it ("Trojan Source"). The marks
 * U+200E, U+200F and U+061C are not among them: right-to-left writers use them, and they only act
 * like one invisible letter.
 */
export const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;

/** True unless `text` holds a lone UTF-16 surrogate (String.prototype.isWellFormed of ES2024). */
export function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/**
 * `text` with each lone surrogate, which has no UTF-8 form and makes encodeURIComponent throw, as
 * U+FFFD (String.prototype.toWellFormed of ES2024, not in this project's lib).
 */
export function toWellFormed(text: string): string {
  return text.replace(LONE_SURROGATES, '\ufffd');
}
