// Cross-check of generator-service DetectorComparison's NanoDet column (model-import README, "CenterNet or NanoDet").
// Runs NanoDet with TF.js exactly as @vladmandic/human 3.3.6 src/object/nanodet.ts does (process() copied,
// config.object defaults minConfidence 0.2, iouThreshold 0.4, maxDetected 10) and prints the tags per photo.
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');
const { loadGraph, decodeImage } = require('./tfjs-io');
const { COCO_LABELS } = require('./labels');
const [humanDir, imagesDir] = process.argv.slice(2);
if (!imagesDir) {
  console.error("usage: node nanodet-human.js <human-models package dir> <images dir>");
  process.exit(2);
}
const labels = COCO_LABELS.map(l => ({ label: l }));
const config = { object: { minConfidence: 0.2, iouThreshold: 0.4, maxDetected: 10 } };
const scaleBox = 2.5;
const inputSize = 416;

async function processOutputs(res, outputShape) {
  let id = 0;
  let results = [];
  const size = inputSize;
  for (const strideSize of [1, 2, 4]) {
    const baseSize = strideSize * 13;
    const scoresT = tf.squeeze(res.find((a) => (a.shape[1] === (baseSize ** 2) && (a.shape[2] || 0) === labels.length)));
    const scores = await scoresT.array();
    const featuresT = tf.squeeze(res.find((a) => (a.shape[1] === (baseSize ** 2) && (a.shape[2] || 0) < labels.length)));
    const boxesMaxT = tf.reshape(featuresT, [-1, 4, (featuresT.shape?.[1] || 0) / 4]);
    const boxIdxT = tf.argMax(boxesMaxT, 2);
    const boxIdx = await boxIdxT.array();
    for (let i = 0; i < scoresT.shape[0]; i++) {
      for (let j = 0; j < (scoresT.shape?.[1] || 0); j++) {
        const score = scores[i][j];
        if (score > (config.object.minConfidence || 0) && j !== 61) {
          const cx = (0.5 + Math.trunc(i % baseSize)) / baseSize;
          const cy = (0.5 + Math.trunc(i / baseSize)) / baseSize;
          const boxOffset = boxIdx[i].map((a) => a * (baseSize / strideSize / (size)));
          const [x, y] = [cx - (scaleBox / strideSize * boxOffset[0]), cy - (scaleBox / strideSize * boxOffset[1])];
          const [w, h] = [cx + (scaleBox / strideSize * boxOffset[2]) - x, cy + (scaleBox / strideSize * boxOffset[3]) - y];
          let boxRaw = [x, y, w, h];
          boxRaw = boxRaw.map((a) => Math.max(0, Math.min(a, 1)));
          results.push({ id: id++, score: Math.round(100 * score) / 100, class: j + 1, label: labels[j].label, boxRaw });
        }
      }
    }
    tf.dispose([scoresT, featuresT, boxesMaxT, boxIdxT]);
  }
  const nmsBoxes = results.map((a) => [a.boxRaw[1], a.boxRaw[0], a.boxRaw[3], a.boxRaw[2]]);
  const nmsScores = results.map((a) => a.score);
  let nmsIdx = [];
  if (nmsBoxes && nmsBoxes.length > 0) {
    const nms = await tf.image.nonMaxSuppressionAsync(nmsBoxes, nmsScores, config.object.maxDetected || 0, config.object.iouThreshold, config.object.minConfidence);
    nmsIdx = Array.from(await nms.data());
    tf.dispose(nms);
  }
  return results.filter((_val, idx) => nmsIdx.includes(idx)).sort((a, b) => (b.score - a.score));
}

(async () => {
  const dir = path.join(humanDir, 'models');
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'nanodet.json'), 'utf8'));
  const shards = json.weightsManifest.flatMap(g => g.paths).map(p => fs.readFileSync(path.join(dir, p)));
  const model = await loadGraph(json, shards);
  for (const f of fs.readdirSync(imagesDir).filter(f => /\.(png|jpe?g)$/i.test(f)).sort()) {
    const decoded = decodeImage(path.join(imagesDir, f));
    const image = decoded.tensor.toFloat().expandDims(0);
    decoded.tensor.dispose();
    const resizeT = tf.image.resizeBilinear(image, [inputSize, inputSize], false);
    const normT = tf.div(resizeT, 255);
    const transposeT = tf.transpose(normT, [0, 3, 1, 2]);
    const objectT = model.execute(transposeT);
    const obj = await processOutputs(objectT, [image.shape[2], image.shape[1]]);
    console.log(`${f} | ${obj.length ? obj.map(o => `${o.label} ${o.score.toFixed(2)}`).join(', ') : 'none'}`);
    tf.dispose([image, resizeT, normT, transposeT, ...objectT]);
  }
})();
