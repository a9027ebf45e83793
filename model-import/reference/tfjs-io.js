// What the reference scripts share: a TF.js graph model from its JSON and shards, and an image decoded the way
// the Java side decodes it (ImageDecoder): RGB 0-255, alpha dropped, grey expanded to three equal channels.
'use strict';
const fs = require('fs');
const tf = require('@tensorflow/tfjs');
const { PNG } = require('pngjs');
const jpeg = require('jpeg-js');

function concatShards(buffers) {
  const total = buffers.reduce((n, b) => n + b.length, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const b of buffers) { out.set(b, off); off += b.length; }
  return out.buffer;
}

async function loadGraph(modelJson, shardBuffers) {
  const weightSpecs = modelJson.weightsManifest.flatMap(g => g.weights);
  return tf.loadGraphModel(tf.io.fromMemory({
    modelTopology: modelJson.modelTopology, weightSpecs, weightData: concatShards(shardBuffers),
  }));
}

function decodeImage(file) {
  const buf = fs.readFileSync(file);
  let w, h, rgba;
  if (file.toLowerCase().endsWith('.png')) {
    // pngjs expands grayscale to equal RGB channels and keeps the stored RGB of RGBA pixels (no premultiplying).
    const png = PNG.sync.read(buf);
    ({ width: w, height: h } = png);
    rgba = png.data;
  } else {
    const img = jpeg.decode(buf, { useTArray: true, formatAsRGBA: true });
    ({ width: w, height: h } = img);
    rgba = img.data;
  }
  const rgb = new Int32Array(w * h * 3);
  for (let p = 0; p < w * h; p++) for (let c = 0; c < 3; c++) rgb[p * 3 + c] = rgba[p * 4 + c];
  return { width: w, height: h, tensor: tf.tensor3d(rgb, [h, w, 3], 'int32') };
}

module.exports = { loadGraph, decodeImage };
