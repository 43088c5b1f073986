/**
 * Whether a JSON text nests its arrays and objects deeper than a limit, found by scanning the text once, without
 * parsing it and without recursion: a model config nested 200,000 deep is refused before JSON.parse (which throws
 * RangeError in some engines) or a recursive walk of what it returns (tfjs's deserialisation, the Keras
 * translation) can overflow the stack. Brackets inside strings do not count. Pure.
 */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > limit) return true;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) depth--;
  }
  return false;
}
