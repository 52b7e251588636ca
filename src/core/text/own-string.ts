// A string that holds on to no other string. V8 makes a slice of 13 or more characters (slice,
// substring, trim, a regular expression's match) a view into the string it was cut from, and a
// concatenation a pair of pointers to its halves: either keeps the whole source alive as long as
// the piece lives. The feed reader's titles, guids and texts are such pieces of the decoded
// document (~75–150 KB) and of each description's decoded HTML; a poll holds its items across
// several Redis round trips (claims, the handoff, the queue), so without a copy every document
// and description was promoted to the old generation with them (issue 16: bench/README.md, sixth
// session, "cold-alloc"). Hand-written: JavaScript has no "copy this string" call; the language
// leaves representation to the engine, so this is a cost measure only, never a correctness one.

/** Below this length V8 copies a slice instead of making a view (SlicedString::kMinLength). */
const MIN_VIEW = 13;

/**
 * `s`, as a flat string of its own (same characters). Concatenation makes a pair; slicing the
 * pair makes V8 flatten it into a new sequential string first, and the slice is a view of that
 * copy alone: one copy of `s`, plus two small headers.
 */
export function ownString(s: string): string {
  return s.length < MIN_VIEW ? s : ` ${s}`.slice(1);
}
