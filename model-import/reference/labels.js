'use strict';
// COCO's 80 detection classes in CenterNet's class-index order: the same file the Java build writes to labels.txt.
const fs = require('fs');
const path = require('path');
const COCO_LABELS = fs.readFileSync(path.join(__dirname, '../src/main/resources/labels/coco-80.txt'), 'utf8')
  .split('\n').filter(l => l.length > 0);
// nsfwjs dist/cjs/nsfw_classes.js, in the model's output order.
const NSFW_CLASSES = ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'];
module.exports = { COCO_LABELS, NSFW_CLASSES };
