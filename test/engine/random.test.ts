import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../engine/random.js';

test('the same seed gives the same stream', () => {
  const a = new Rng(42);
  const b = new Rng(42);
  for (let i = 0; i < 1000; i++) assert.equal(a.nextUint32(), b.nextUint32());
});

test('the stream is pinned: a change of generator would change every split and bootstrap', () => {
  const r = new Rng(7);
  const first = [r.nextUint32(), r.nextUint32(), r.nextUint32()];
  assert.deepEqual(first, PINNED_SEED_7);
});

test('nextInt is uniform enough and within range', () => {
  const r = new Rng(1);
  const counts = new Array(10).fill(0);
  for (let i = 0; i < 100000; i++) counts[r.nextInt(10)]++;
  for (const c of counts) assert.ok(c > 9500 && c < 10500, `bucket count ${c}`);
});

test('nextFloat is in [0, 1)', () => {
  const r = new Rng(3);
  for (let i = 0; i < 10000; i++) {
    const f = r.nextFloat();
    assert.ok(f >= 0 && f < 1);
  }
});

const PINNED_SEED_7 = [225556871, 1658637708, 1499479109];
