// Single-op cases run with TensorFlow.js's own kernels; the Java test builds the same op as a one-node graph,
// imports it, runs it with ONNX Runtime and compares. These pin down the TF semantics the importer must keep:
// SAME padding (extra pixel bottom/right), dilation, pooling that excludes padding, the three bilinear
// coordinate modes, every StridedSlice mask, floor division of negative integers, TopK ties, GatherV2.
//
//   node op-goldens.js <repo root>
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');
const lcg = require('./lcg');

const repoRoot = process.argv[2];
if (!repoRoot) { console.error('usage: node op-goldens.js <repo root>'); process.exit(2); }

const round = x => Number(Number(x).toPrecision(7));
// Deterministic float data in [-1, 1) from the shared LCG.
const floats = (seed, shape) => tf.tensor(Array.from(lcg.bytes(seed, shape.reduce((a, b) => a * b, 1)), v => (v - 128) / 128), shape);
const ints = (values, shape) => ({ shape: shape || [values.length], dtype: 'int32', values });
const spec = t => ({ shape: t.shape, dtype: t.dtype === 'int32' ? 'int32' : 'float32', values: Array.from(t.dataSync(), round) });

const cases = [];
function add(name, op, attrs, inputs, expected) {
  cases.push({ name, op, attrs, inputs: inputs.map(i => (i instanceof tf.Tensor ? spec(i) : i)), expected: spec(expected) });
}

tf.setBackend('cpu').then(() => {
  const nhwc = { data_format: { s: 'NHWC' } };
  const x = floats(21, [1, 5, 6, 2]);
  const f = floats(22, [3, 3, 2, 3]);
  const conv = (padding, s, d) => ({ ...nhwc, padding: { s: padding }, strides: { ints: [1, s, s, 1] }, dilations: { ints: [1, d, d, 1] } });
  add('conv SAME stride 2 (odd and even sizes)', 'Conv2D', conv('SAME', 2, 1), [x, f], tf.conv2d(x, f, 2, 'same'));
  add('conv SAME dilation 2', 'Conv2D', conv('SAME', 1, 2), [x, f], tf.conv2d(x, f, 1, 'same', 'NHWC', 2));
  add('conv VALID stride 2', 'Conv2D', conv('VALID', 2, 1), [x, f], tf.conv2d(x, f, 2, 'valid'));
  const dw = floats(23, [3, 3, 2, 2]);
  add('depthwise SAME stride 2, multiplier 2', 'DepthwiseConv2dNative', conv('SAME', 2, 1), [x, dw], tf.depthwiseConv2d(x, dw, 2, 'same'));
  const bias = floats(24, [3]);
  add('fused conv + bias + relu6', '_FusedConv2D', { ...conv('SAME', 1, 1), fused_ops: { strings: ['BiasAdd', 'Relu6'] }, num_args: { i: 1 } },
    [x, f, bias], tf.clipByValue(tf.add(tf.conv2d(x, f, 1, 'same'), bias), 0, 6));
  const pool = (padding) => ({ ...nhwc, padding: { s: padding }, ksize: { ints: [1, 3, 3, 1] }, strides: { ints: [1, 2, 2, 1] } });
  add('max pool SAME stride 2', 'MaxPool', pool('SAME'), [x], tf.maxPool(x, 3, 2, 'same'));
  add('avg pool SAME stride 2 (padding not counted)', 'AvgPool', pool('SAME'), [x], tf.avgPool(x, 3, 2, 'same'));

  const small = floats(25, [1, 3, 4, 2]);
  for (const [align, half] of [[false, false], [true, false], [false, true]]) {
    add(`resize bilinear align_corners=${align} half_pixel_centers=${half}`, 'ResizeBilinear',
      { align_corners: { b: align }, half_pixel_centers: { b: half } }, [small, ints([5, 7])],
      tf.image.resizeBilinear(small, [5, 7], align, half));
  }

  const t = floats(26, [2, 3, 4, 5]);
  const slices = [
    ['negative stride and negative begin', [0, 1, -1], [2, 3, 0], [1, 1, -1], 0, 0, 0, 0, 0],
    ['ellipsis', [0, 1], [0, 3], [1, 1], 0, 0, 1, 0, 0],
    ['shrink axes', [1, 0, 2], [2, 0, 3], [1, 1, 1], 2, 2, 0, 0, 5],
    ['new axis', [0, 0, 0], [0, 2, 0], [1, 1, 1], 4, 4, 0, 1, 0],
    ['full reverse', [0], [0], [-1], 1, 1, 0, 0, 0],
    ['strides 2 and 3', [0, 0, 1, 0], [2, 3, 4, 5], [1, 2, 2, 3], 0, 0, 0, 0, 0],
    ['shrink last with -1', [0, -1], [0, 0], [1, 1], 1, 1, 0, 0, 2],
  ];
  for (const [name, b, e, s, bm, em, elm, nam, sm] of slices) {
    add('strided slice: ' + name, 'StridedSlice',
      { begin_mask: { i: bm }, end_mask: { i: em }, ellipsis_mask: { i: elm }, new_axis_mask: { i: nam }, shrink_axis_mask: { i: sm } },
      [t, ints(b), ints(e), ints(s)], tf.stridedSlice(t, b, e, s, bm, em, elm, nam, sm));
  }

  const a = tf.tensor1d([-7, -6, -5, -1, 0, 1, 5, 6, 7, -7, 7, -8], 'int32');
  const d = tf.tensor1d([2, 2, 3, 3, 3, 3, -3, -3, -2, -2, 3, 4], 'int32');
  add('floor div of negative integers', 'FloorDiv', {}, [a, d], tf.floorDiv(a, d));
  add('floor mod of negative integers', 'FloorMod', {}, [a, d], tf.mod(a, d));
  const af = tf.tensor1d([-7.5, -1, 2.5, 7, -0.5]), bf = tf.tensor1d([2, 3, -2, -3, 1]);
  add('floor mod of floats', 'FloorMod', {}, [af, bf], tf.mod(af, bf));

  const tied = tf.tensor2d([[0.5, 0.9, 0.1, 0.9, 0.5, 0.3, 0.9, 0.2, 0.5, 0.0]]);
  const top = tf.topk(tied, 5, true);
  add('top-k values with ties', 'TopKV2', { sorted: { b: true } }, [tied, ints([5], [])], top.values);
  add('top-k indices with ties (lower index first)', 'TopKV2:1', { sorted: { b: true } }, [tied, ints([5], [])], top.indices);

  const g = floats(27, [2, 3, 4]);
  const idx = tf.tensor2d([[2, 0], [1, 1]], [2, 2], 'int32');
  add('gather axis 1', 'GatherV2', { batch_dims: { i: 0 } }, [g, idx, ints([1], [])], tf.gather(g, idx, 1));
  add('mean over H,W without keep_dims', 'Mean', { keep_dims: { b: false } }, [x, ints([1, 2])], tf.mean(x, [1, 2], false));

  const file = path.join(repoRoot, 'model-import/src/test/resources/golden/ops.json');
  fs.writeFileSync(file, JSON.stringify({ tfjs: tf.version.tfjs, generatedBy: 'model-import/reference/op-goldens.js', cases }) + '\n');
  console.log('wrote', file, cases.length, 'cases');
});
