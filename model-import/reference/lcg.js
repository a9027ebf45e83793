// The deterministic integer generator shared with the Java tests (SyntheticInput): a 31-bit LCG
// (glibc constants) whose bits 16-23 give the byte. Math.imul keeps the 32-bit wrap-around Java's int has.
'use strict';
const DESCRIPTION = 'x = (x * 1103515245 + 12345) & 0x7fffffff (32-bit wrap); byte = (x >>> 16) & 255';

function generator(seed) {
  let x = seed & 0x7fffffff;
  return () => { x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff; return x; };
}

function bytes(seed, count) {
  const next = generator(seed);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = (next() >>> 16) & 255;
  return out;
}

// An index in [0, n): two draws give 30 bits, enough for any output here.
function index(next, n) {
  return (((next() >>> 16) & 0x7fff) * 32768 + ((next() >>> 16) & 0x7fff)) % n;
}

module.exports = { DESCRIPTION, generator, bytes, index };
