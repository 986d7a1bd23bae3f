/**
 * Entity IDs of the notebook (`o-k3x9`: a prefix letter, `-`, 4–6 base36 characters): random in production, so two
 * windows adding an entry at the same moment never pick the same ID and a merge keeps both; counted in tests; and
 * derived from the content for an entry someone wrote into the file by hand without one, so that reading the same
 * file twice gives the same IDs. Pure ES plus Web Crypto's `getRandomValues` (Node ≥ 19 and browsers), so ops.ts can
 * re-export it without tying the webview protocol to Node.
 */
import type { Incident } from './model';
import type { OpContext } from './ops';

/** What every entity ID looks like (the webview protocol checks the same). */
export const ENTITY_ID_RE = /^[a-z]-[a-z0-9]{1,16}$/;

/** Random bytes (at least 6 per call are used; fewer are topped up by calling again). */
export type RandomBytes = () => Uint8Array;

/** 8 bytes from the platform's cryptographic random source. */
export const cryptoRandom: RandomBytes = () => globalThis.crypto.getRandomValues(new Uint8Array(8));

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * A fresh random ID with `prefix` (one letter) that `taken` does not know: 4 base36 characters (1.7 million), then 5
 * and 6 when the short ones keep colliding.
 */
export function newEntityId(prefix: string, taken: (id: string) => boolean, random: RandomBytes = cryptoRandom): string {
  if (!/^[a-z]$/.test(prefix)) throw new Error(`Entity ID prefix must be one letter a–z, not ${JSON.stringify(prefix)}.`);
  for (let length = 4; length <= 6; length++) {
    for (let attempt = 0; attempt < 20; attempt++) {
      let s = '';
      while (s.length < length) {
        const bytes = random();
        if (bytes.length === 0) throw new Error('The random source returned no bytes.');
        // 252 = 7 × 36: bytes above it are skipped so every character is equally likely.
        for (const b of bytes) if (b < 252 && s.length < length) s += ALPHABET[b % 36];
      }
      const id = `${prefix}-${s}`;
      if (!taken(id)) return id;
    }
  }
  // 60 collisions in a row: the random source is broken (or a test made it so). Count instead.
  for (let n = 0; ; n++) {
    const id = `${prefix}-z${n.toString(36)}`;
    if (!taken(id)) return id;
  }
}

/** A counting ID source for tests: `o-1`, `o-2`, `h-1`, … (one counter per prefix), skipping IDs `taken` knows. */
export function countingIds(taken: (id: string) => boolean = () => false): (prefix: string) => string {
  const next = new Map<string, number>();
  return (prefix) => {
    for (;;) {
      const n = (next.get(prefix) ?? 0) + 1;
      next.set(prefix, n);
      const id = `${prefix}-${n.toString(36)}`;
      if (!taken(id)) return id;
    }
  };
}

/** A deterministic pseudo-random byte source (mulberry32) for reproducible IDs in tests and the demo. */
export function seededRandom(seed: number): RandomBytes {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return () => Uint8Array.from({ length: 8 }, () => next() & 0xff);
}

/** FNV-1a (32 bit) of the UTF-16 code units. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * The ID of an entry written without one: `prefix-` and 6 base36 characters of a hash of `content`. The same content
 * gives the same ID; when it is taken (two identical lines), the hash of the content and a counter.
 */
export function derivedEntityId(prefix: string, content: string, taken: (id: string) => boolean): string {
  for (let n = 0; ; n++) {
    const h = fnv1a(n === 0 ? content : `${content}\u0000${n}`);
    const id = `${prefix}-${h.toString(36).padStart(7, '0').slice(-6)}`;
    if (!taken(id)) return id;
  }
}

/** Every entity ID in the incident: observations, hypotheses and their evidence, actions, timeline entries. */
export function entityIds(incident: Incident): Set<string> {
  const ids = new Set<string>();
  for (const o of incident.observations) ids.add(o.id);
  for (const h of incident.hypotheses) {
    ids.add(h.id);
    for (const e of h.evidence) ids.add(e.id);
  }
  for (const a of incident.actions) ids.add(a.id);
  for (const t of incident.timeline) ids.add(t.id);
  return ids;
}

/**
 * The {@link OpContext} of production: `now` and random IDs that are new to the incident and to this context (an op
 * that adds an observation asks for two: the observation's and its timeline entry's).
 */
export function opContext(incident: Incident, now: string, random: RandomBytes = cryptoRandom): OpContext {
  const used = entityIds(incident);
  return {
    now,
    newId(prefix: string): string {
      const id = newEntityId(prefix, (x) => used.has(x), random);
      used.add(id);
      return id;
    },
  };
}
