/**
 * Interning of text cells straight from the file's bytes.
 *
 * A text column of a million rows usually holds a handful of distinct values; making a JS
 * string per cell would dominate load time. The dictionary hashes the cell's bytes, compares
 * them with the bytes of the values already seen, and decodes a string only for a new value.
 * Decoding uses a fatal UTF-8 decoder, so every byte of every text cell is validated once.
 */
import { asciiText } from './decimal.js';

/** FNV-1a offset basis; callers hash with `fnvStep` from here, so both sides agree. */
export const FNV_OFFSET = 0x811c9dc5 | 0;

/** One FNV-1a step over a byte. */
export function fnvStep(hash: number, byte: number): number {
  return Math.imul(hash ^ byte, 16777619);
}

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Raised by `intern` when a new value's bytes are not valid UTF-8; the caller adds where. */
export class InvalidUtf8Error extends Error {}

/**
 * Distinct byte strings → dense codes 0, 1, 2, … in order of first appearance.
 * Invariant: `categories[code]` is the decoded text of the bytes stored for `code`.
 */
export class ByteDictionary {
  readonly categories: string[] = [];
  // Small to start with: a wide table has a dictionary per text column, most holding a few
  // values; the arrays double as values come.
  /** Open-addressing table of code + 1 (0 = empty slot); its size is a power of two. */
  private slots = new Int32Array(16);
  private slotHashes = new Int32Array(16);
  /** Bytes of every value, back to back; value k is arena[keyStart[k], keyStart[k+1]). */
  private arena = new Uint8Array(64);
  private arenaLength = 0;
  private keyStart = new Int32Array(16);

  /** The code of bytes[start, end) (hash = FNV-1a of those bytes), adding it when new. */
  intern(
    bytes: Uint8Array,
    start: number,
    end: number,
    hash: number,
    hasHighBytes: boolean,
  ): number {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    const length = end - start;
    for (;;) {
      const entry = this.slots[slot];
      if (entry === 0) break;
      if (this.slotHashes[slot] === hash) {
        const code = entry - 1;
        const keyStart = this.keyStart[code];
        if (
          this.keyStart[code + 1] - keyStart === length &&
          this.sameBytes(keyStart, bytes, start, length)
        ) {
          return code;
        }
      }
      slot = (slot + 1) & mask;
    }
    return this.add(bytes, start, end, hash, hasHighBytes, slot);
  }

  private sameBytes(keyStart: number, bytes: Uint8Array, start: number, length: number): boolean {
    const arena = this.arena;
    for (let k = 0; k < length; k++) if (arena[keyStart + k] !== bytes[start + k]) return false;
    return true;
  }

  private add(
    bytes: Uint8Array,
    start: number,
    end: number,
    hash: number,
    hasHighBytes: boolean,
    slot: number,
  ): number {
    let text: string;
    if (hasHighBytes) {
      try {
        text = fatalUtf8.decode(bytes.subarray(start, end));
      } catch {
        throw new InvalidUtf8Error('invalid UTF-8');
      }
    } else {
      text = asciiText(bytes, start, end);
    }
    const code = this.categories.length;
    this.categories.push(text);
    const length = end - start;
    if (this.arenaLength + length > this.arena.length) {
      const grown = new Uint8Array(Math.max(this.arena.length * 2, this.arenaLength + length));
      grown.set(this.arena.subarray(0, this.arenaLength));
      this.arena = grown;
    }
    this.arena.set(bytes.subarray(start, end), this.arenaLength);
    this.arenaLength += length;
    if (code + 2 > this.keyStart.length) {
      const grown = new Int32Array(this.keyStart.length * 2);
      grown.set(this.keyStart);
      this.keyStart = grown;
    }
    this.keyStart[code + 1] = this.arenaLength;
    this.slots[slot] = code + 1;
    this.slotHashes[slot] = hash;
    // Keep the table at most half full so probe runs stay short.
    if ((code + 1) * 2 > this.slots.length) this.rehash();
    return code;
  }

  private rehash(): void {
    const size = this.slots.length * 2;
    const mask = size - 1;
    const slots = new Int32Array(size);
    const hashes = new Int32Array(size);
    for (let old = 0; old < this.slots.length; old++) {
      const entry = this.slots[old];
      if (entry === 0) continue;
      let slot = this.slotHashes[old] & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = entry;
      hashes[slot] = this.slotHashes[old];
    }
    this.slots = slots;
    this.slotHashes = hashes;
  }
}
