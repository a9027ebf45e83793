// The gateway's web UI: plain JavaScript, no build step, no CDN. Every /v1 call sends the API key
// from the box at the top (kept in this browser's localStorage only).
'use strict';

const $ = (id) => document.getElementById(id);
const KEY_STORE = 'multimodal.apiKey';
const POLL_MS = 1500;
const POLL_LIMIT_MS = 5 * 60 * 1000;

function apiKey() {
  return $('api-key').value.trim();
}

function headers(extra = {}) {
  return { 'X-API-Key': apiKey(), ...extra };
}

function showError(message) {
  const box = $('error');
  box.textContent = message;
  box.hidden = !message;
}

/** Fetches a /v1 resource; a problem+json answer becomes an Error with its detail. */
async function api(path, options = {}) {
  const response = await fetch(path, { ...options, headers: headers(options.headers) });
  if (!response.ok) {
    let detail = response.status + ' ' + response.statusText;
    try {
      const problem = await response.json();
      detail = (problem.title || detail) + (problem.detail ? ': ' + problem.detail : '');
    } catch (ignored) { /* not JSON */ }
    throw new Error(detail);
  }
  return response;
}

async function json(path, body) {
  const response = await api(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return response.json();
}

/**
 * Plays a video or audio hit in its card from a time (a segment's start): the content needs the API
 * key header, so it is fetched as a blob; the start goes in the media fragment (#t=) and, for
 * browsers that ignore fragments on blob URLs, into currentTime once the metadata is known.
 */
async function playFrom(container, mediaId, kind, startSeconds) {
  const response = await api('/v1/media/' + encodeURIComponent(mediaId) + '/content');
  const player = document.createElement(kind);
  player.controls = true;
  // Video starts muted so that browsers allow it to play at once; audio is there to be heard.
  player.muted = kind === 'video';
  player.dataset.testid = kind + '-player';
  player.dataset.start = String(startSeconds);
  player.addEventListener('loadedmetadata', () => {
    if (Math.abs(player.currentTime - startSeconds) > 0.25) player.currentTime = startSeconds;
  }, { once: true });
  player.src = URL.createObjectURL(await response.blob()) + '#t=' + startSeconds.toFixed(3);
  container.innerHTML = '';
  container.append(player);
  player.play().catch(() => { /* autoplay may be refused; the controls are there */ });
}

/** Thumbnails need the API key header, so they are fetched and shown as blob URLs. */
async function loadThumbnail(img, mediaId) {
  try {
    const response = await api('/v1/media/' + encodeURIComponent(mediaId) + '/thumbnail');
    img.src = URL.createObjectURL(await response.blob());
    img.dataset.loaded = 'true';
  } catch (e) {
    img.alt = 'no preview';
  }
}

// ---------- upload with progress, then pipeline status ----------

function uploadFile(file) {
  const item = document.createElement('li');
  item.dataset.testid = 'upload-item';
  item.innerHTML = '<span class="name"></span><progress max="100" value="0"></progress><span class="stage"></span>';
  item.querySelector('.name').textContent = file.name;
  $('uploads').prepend(item);
  const stage = item.querySelector('.stage');
  stage.textContent = 'uploading';

  const form = new FormData();
  form.append('file', file);
  const request = new XMLHttpRequest();
  request.open('POST', '/v1/media');
  request.setRequestHeader('X-API-Key', apiKey());
  request.upload.onprogress = (event) => {
    if (event.lengthComputable) {
      item.querySelector('progress').value = Math.round((100 * event.loaded) / event.total);
    }
  };
  request.onload = () => {
    let body = {};
    try { body = JSON.parse(request.responseText); } catch (ignored) { /* empty */ }
    if (request.status === 202) {
      item.querySelector('progress').value = 100;
      item.dataset.mediaId = body.mediaId;
      item.dataset.state = 'sent';
      followPipeline(item, body.mediaId, Date.now());
    } else {
      item.dataset.state = 'failed';
      stage.innerHTML = '<span class="failed"></span>';
      stage.firstChild.textContent = 'failed: ' + (body.detail || request.status);
    }
  };
  request.onerror = () => {
    item.dataset.state = 'failed';
    stage.textContent = 'failed: network error';
  };
  request.send(form);
}

function renderStages(stage, status) {
  const stages = [
    ['sent', true],
    ['indexed', status && status.state === 'indexed'],
    ['embedded', status && status.embeddedBy && status.embeddedBy.length > 0],
    ['captioned', status && status.captioned],
    ['ocr', status && status.ocrDone],
  ];
  stage.innerHTML = '';
  for (const [name, done] of stages) {
    const span = document.createElement('span');
    span.textContent = (done ? '\u2713 ' : '\u2026 ') + name;
    span.className = done ? 'done' : '';
    span.dataset.stage = name;
    stage.append(span);
  }
}

async function followPipeline(item, mediaId, started) {
  const stage = item.querySelector('.stage');
  let status = null;
  try {
    status = await (await api('/v1/media/' + encodeURIComponent(mediaId))).json();
  } catch (e) {
    status = null; // not known yet
  }
  renderStages(stage, status);
  const embedded = status && status.embeddedBy && status.embeddedBy.length > 0;
  item.dataset.state = embedded ? (status.captioned ? 'captioned' : 'embedded') : 'sent';
  if (!(embedded && status.captioned) && Date.now() - started < POLL_LIMIT_MS) {
    setTimeout(() => followPipeline(item, mediaId, started), POLL_MS);
  }
}

// ---------- search, results, more like this ----------

const SVG = 'http://www.w3.org/2000/svg';
const DEFAULT_UNSAFE_THRESHOLD = 0.5;
// null: the tenant's default (the gateway decides); true/false once the user flips the toggle.
let safeChoice = null;
let unsafeThreshold = DEFAULT_UNSAFE_THRESHOLD;
let lastSearch = null;

/** A "demo model" badge: the output came from a generated fixture that knows colours and shapes only. */
function demoBadge(what) {
  const badge = document.createElement('span');
  badge.className = 'badge';
  badge.dataset.testid = 'demo-badge';
  badge.textContent = 'demo model';
  badge.title = what + ' by a generated demo fixture model (it knows colours and shapes only), not real weights';
  return badge;
}

/** Object chips; clicking one searches for that object and keeps only items where it was detected. */
function objectChips(objects) {
  const chips = document.createElement('div');
  chips.className = 'chips';
  for (const object of objects || []) {
    const chip = document.createElement('button');
    chip.type = 'button';
    chip.className = 'chip';
    chip.dataset.testid = 'object-chip';
    chip.dataset.label = object.label;
    chip.textContent = object.label + ' ' + object.score.toFixed(2);
    chip.title = 'Search for ' + object.label;
    chip.onclick = () => {
      $('query').value = object.label;
      search({ q: object.label, object: object.label }, 'objects \u201c' + object.label + '\u201d');
    };
    chips.append(chip);
  }
  return chips;
}

function isUnsafe(safety) {
  return !!safety && safety.unsafeScore > unsafeThreshold;
}

/** Unsafe images (shown only when safe search is off) stay blurred until clicked. */
function veil(img, safety) {
  img.classList.toggle('unsafe', isUnsafe(safety));
  const wrapper = img.parentElement;
  const old = wrapper.querySelector('.veil');
  if (old) old.remove();
  if (!isUnsafe(safety)) {
    img.onclick = null;
    return;
  }
  img.title = 'Possibly unsafe (score ' + safety.unsafeScore.toFixed(2) + '): click to show';
  const note = document.createElement('span');
  note.className = 'veil';
  note.textContent = 'possibly unsafe \u00b7 click to show';
  wrapper.append(note);
  img.onclick = () => {
    img.classList.remove('unsafe');
    note.remove();
    img.onclick = null;
  };
}

async function search(params, label) {
  showError('');
  lastSearch = [params, label];
  const query = new URLSearchParams({ k: '24', explain: 'true', ...params });
  if (safeChoice !== null) query.set('safe', String(safeChoice));
  try {
    const result = await (await api('/v1/search?' + query)).json();
    if (result.safeSearch) {
      $('safe-search').checked = result.safeSearch.on;
      unsafeThreshold = result.safeSearch.unsafeThreshold;
    }
    const info = $('search-info');
    info.textContent = result.hits.length + ' result(s) for ' + label +
      (result.model && result.model.name ? ' \u00b7 model ' + result.model.name + ' ' + result.model.version : '') +
      (result.safeSearch && !result.safeSearch.on ? ' \u00b7 safe search off' : '');
    if (result.model && result.model.fixture) info.append(demoBadge('Image similarity'));
    renderResults(result.hits, !!(result.model && result.model.fixture));
  } catch (e) {
    showError(e.message);
  }
}

/** A hit only the fixture CLIP found (no caption, OCR or tag text matched) is demo output. */
function foundByFixtureClipOnly(hit, clipIsFixture) {
  const sources = Object.keys(hit.sources || {});
  return clipIsFixture && (sources.length === 0 || sources.every((name) => name === 'clip'));
}

function renderResults(hits, clipIsFixture) {
  const grid = $('results');
  grid.innerHTML = '';
  for (const hit of hits) {
    const card = document.createElement('article');
    card.className = 'card';
    card.dataset.testid = 'result';
    card.dataset.mediaId = hit.mediaId;
    const thumb = document.createElement('div');
    thumb.className = 'thumb';
    const img = document.createElement('img');
    img.alt = hit.caption || hit.mediaId;
    thumb.append(img);
    card.append(thumb);
    veil(img, hit.safety);
    loadThumbnail(img, hit.mediaId);

    const meta = document.createElement('div');
    meta.className = 'meta';
    const score = document.createElement('div');
    score.className = 'score';
    score.dataset.testid = 'score';
    score.textContent = 'score ' + hit.score.toFixed(3);
    meta.append(score);
    if (foundByFixtureClipOnly(hit, clipIsFixture)) {
      const found = document.createElement('div');
      found.className = 'muted';
      found.dataset.testid = 'found-by';
      found.append('found by image similarity only', demoBadge('Found'));
      meta.append(found);
    }
    if (hit.caption) {
      const caption = document.createElement('div');
      caption.dataset.testid = 'result-caption';
      caption.textContent = hit.caption;
      if (hit.captionFixture) caption.append(demoBadge('Caption written'));
      meta.append(caption);
    }
    // Audio found by its transcript: where the words were said. Video: its best keyframes' scenes.
    // Either plays from a segment's start: the button plays the best one, each segment its own.
    const type = hit.contentType || '';
    const kind = type.startsWith('video/') ? 'video' : type.startsWith('audio/') ? 'audio' : null;
    const playerBox = kind === 'video' ? thumb : document.createElement('div');
    for (const segment of hit.segments || []) {
      const said = document.createElement(kind ? 'a' : 'div');
      said.dataset.testid = 'result-segment';
      said.textContent =
        (segment.startMs / 1000).toFixed(1) + '–' + (segment.endMs / 1000).toFixed(1) + ' s' +
        (segment.text ? ': “' + segment.text + '”' : '');
      if (kind) {
        said.href = '#';
        said.className = 'segment-link';
        said.title = 'Play from here';
        said.onclick = (event) => {
          event.preventDefault();
          playFrom(playerBox, hit.mediaId, kind, segment.startMs / 1000);
        };
      }
      meta.append(said);
    }
    if (kind) {
      const best = (hit.segments || [])[0];
      const play = document.createElement('button');
      play.type = 'button';
      play.className = 'secondary';
      play.dataset.testid = 'play-' + kind;
      const start = best ? best.startMs / 1000 : 0;
      play.textContent = 'Play from ' + start.toFixed(1) + ' s';
      play.onclick = () => playFrom(playerBox, hit.mediaId, kind, start);
      meta.append(play);
      if (kind === 'audio') meta.append(playerBox);
    }
    const sources = Object.entries(hit.sources || {});
    if (sources.length) {
      const matched = document.createElement('div');
      matched.className = 'sources';
      matched.dataset.testid = 'sources';
      matched.textContent = 'matched: ' + sources.map(([name, s]) => name + ' ' + s.toFixed(2)).join(', ');
      meta.append(matched);
    }
    meta.append(objectChips(hit.objects));
    card.append(meta);

    const actions = document.createElement('div');
    actions.className = 'actions';
    const more = document.createElement('button');
    more.type = 'button';
    more.className = 'secondary';
    more.dataset.testid = 'more-like-this';
    more.textContent = 'More like this';
    more.onclick = () => search({ mediaId: hit.mediaId }, 'items like ' + hit.mediaId);
    const open = document.createElement('button');
    open.type = 'button';
    open.dataset.testid = 'open';
    open.textContent = 'Details';
    open.onclick = () => openDetail(hit.mediaId);
    const add = document.createElement('button');
    add.type = 'button';
    add.className = 'secondary';
    add.dataset.testid = 'add-to-question';
    add.textContent = 'Add to question';
    add.title = 'Ask the next question over the open item and this one';
    add.onclick = () => addToQuestion(hit.mediaId);
    actions.append(more, open, add);
    card.append(actions);
    grid.append(card);
  }
}

// ---------- one item: status, classify, caption, ask ----------

let current = null;

async function openDetail(mediaId) {
  current = mediaId;
  $('detail').hidden = false;
  $('detail-id').textContent = mediaId;
  $('classes').innerHTML = '';
  $('caption').textContent = '';
  $('answer').textContent = '';
  $('detail-objects').innerHTML = '';
  $('detail-safety').textContent = '';
  $('detail-boxes').innerHTML = '';
  veil($('detail-thumb'), null);
  loadThumbnail($('detail-thumb'), mediaId);
  try {
    const status = await (await api('/v1/media/' + encodeURIComponent(mediaId))).json();
    renderStatus(status);
    renderVision(status);
  } catch (e) {
    $('detail-status').textContent = e.message;
  }
  $('detail').scrollIntoView({ behavior: 'smooth' });
}

function modelName(model) {
  return model.name + ' ' + model.version;
}

function renderStatus(status) {
  const line = $('detail-status');
  line.textContent = status.state + ' \u00b7 embedded by ' +
    (status.embeddedBy.map((e) => e.model + ' ' + e.version).join(', ') || 'none yet');
  if (status.embeddedBy.some((e) => e.fixture)) line.append(demoBadge('Embedded'));
  line.append(' \u00b7 ' + (status.captioned ? 'captioned' : 'not captioned'));
  if (status.captionModel) {
    line.append(' by ' + modelName(status.captionModel));
    if (status.captionModel.fixture) line.append(demoBadge('Caption written'));
  }
  line.append(' \u00b7 ' + (status.ocrDone ? 'OCR done' : 'no OCR') + ' \u00b7 vision ' + status.vision);
  if (status.detector) line.append(' (' + modelName(status.detector) + ')');
  if (status.detector && status.detector.fixture) line.append(demoBadge('Objects detected'));
}

/** Object chips, boxes over the image (normalised 0..1, so percentages of the shown image), safety scores. */
function renderVision(status) {
  $('detail-objects').replaceWith(Object.assign(objectChips(status.objects), { id: 'detail-objects' }));
  $('detail-objects').dataset.testid = 'detail-objects';
  const boxes = $('detail-boxes');
  boxes.innerHTML = '';
  for (const object of status.objects || []) {
    if (!object.box) continue;
    const b = object.box;
    const rect = document.createElementNS(SVG, 'rect');
    rect.setAttribute('x', 100 * b.xMin + '%');
    rect.setAttribute('y', 100 * b.yMin + '%');
    rect.setAttribute('width', 100 * (b.xMax - b.xMin) + '%');
    rect.setAttribute('height', 100 * (b.yMax - b.yMin) + '%');
    rect.dataset.testid = 'object-box';
    rect.dataset.label = object.label;
    const text = document.createElementNS(SVG, 'text');
    text.setAttribute('x', 100 * b.xMin + '%');
    text.setAttribute('y', 100 * b.yMin + '%');
    text.setAttribute('dx', '3');
    text.setAttribute('dy', '12');
    text.textContent = object.label + ' ' + object.score.toFixed(2);
    boxes.append(rect, text);
  }
  if (status.safety) {
    const scores = Object.entries(status.safety.scores).map(([label, p]) => label + ' ' + p.toFixed(2)).join(', ');
    const line = $('detail-safety');
    line.textContent = 'safety: unsafe ' + status.safety.unsafeScore.toFixed(2) + ' (' + scores + ')' +
      (status.safetyModel ? ' \u00b7 ' + modelName(status.safetyModel) : '');
    if (status.safetyModel && status.safetyModel.fixture) line.append(demoBadge('Safety scored'));
  }
  veil($('detail-thumb'), status.safety);
}

async function classify(event) {
  event.preventDefault();
  showError('');
  const labels = $('labels').value.split(',').map((l) => l.trim()).filter((l) => l);
  try {
    const result = await json('/v1/classify', { mediaId: current, labels });
    const list = $('classes');
    list.innerHTML = '';
    for (const label of result.labels) {
      const li = document.createElement('li');
      li.dataset.testid = 'class';
      li.textContent = label.label + ' \u2014 ' + (100 * label.probability).toFixed(1) + ' %';
      list.append(li);
    }
  } catch (e) {
    showError(e.message);
  }
}

async function caption() {
  showError('');
  $('caption').textContent = '\u2026';
  try {
    const result = await json('/v1/caption', { mediaId: current });
    $('caption').textContent = result.text;
    if (result.fixture) $('caption').append(demoBadge('Caption written'));
  } catch (e) {
    $('caption').textContent = '';
    showError(e.message);
  }
}

/** The item ids that join the open item in the next question, in order. */
function alsoAsked() {
  return $('ask-also').value.split(',').map((id) => id.trim()).filter((id) => id);
}

function addToQuestion(mediaId) {
  const ids = alsoAsked();
  if (!ids.includes(mediaId)) ids.push(mediaId);
  $('ask-also').value = ids.join(', ');
}

/**
 * One image: {mediaId, question}. With more items: interleaved parts, the open item first, then the
 * others in order, then the question ("which image is red, the first or the second?").
 */
function askBody() {
  const question = $('question').value;
  const also = alsoAsked();
  if (!also.length) return { mediaId: current, question };
  return {
    parts: [{ mediaId: current }, ...also.map((mediaId) => ({ mediaId })), { text: question }],
  };
}

/** Reads the Server-Sent Events of /v1/ask from a fetch body (EventSource cannot POST or send headers). */
async function ask(event) {
  event.preventDefault();
  showError('');
  const answer = $('answer');
  answer.textContent = '';
  answer.dataset.done = 'false';
  try {
    const response = await api('/v1/ask', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
      body: JSON.stringify(askBody()),
    });
    await readSse(response, (name, payload) => handleAnswer(name, payload, answer));
  } catch (e) {
    showError(e.message);
  }
  answer.dataset.done = 'true';
}

/** Calls onEvent(name, JSON data) for each Server-Sent Event of a fetch response body. */
async function readSse(response, onEvent) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      let name = 'message';
      const data = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith('event:')) name = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length) onEvent(name, JSON.parse(data.join('\n')));
    }
  }
}

function handleAnswer(name, payload, answer) {
  if (name === 'token') answer.textContent += payload.token;
  else if (name === 'final') {
    answer.textContent = payload.text;
    if (payload.fixture) answer.append(demoBadge('Answer written'));
  }
  else if (name === 'error') showError(payload.title + ': ' + (payload.detail || ''));
}

// ---------- text to image ----------

function generateBody() {
  const body = {
    prompt: $('prompt').value,
    candidates: Number($('gen-candidates').value) || 1,
    steps: Number($('gen-steps').value) || 20,
  };
  if ($('gen-seed').value !== '') body.seed = Number($('gen-seed').value);
  return body;
}

/** Streams /v1/generate: a progress bar while it denoises, then the candidates best first. */
async function generate(event) {
  event.preventDefault();
  showError('');
  const list = $('candidates');
  const bar = $('gen-progress');
  const body = generateBody();
  list.replaceChildren();
  list.dataset.done = 'false';
  $('gen-info').textContent = 'Generating\u2026';
  bar.hidden = false;
  bar.value = 0;
  try {
    const response = await api('/v1/generate', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
      body: JSON.stringify(body),
    });
    await readSse(response, (name, payload) => {
      if (name === 'progress') {
        bar.max = payload.steps;
        bar.value = payload.step;
      } else if (name === 'result') {
        renderCandidates(body.prompt, payload);
      } else if (name === 'error') {
        showError(payload.title + ': ' + (payload.detail || ''));
      }
    });
  } catch (e) {
    showError(e.message);
  }
  bar.hidden = true;
  list.dataset.done = 'true';
}

function renderCandidates(prompt, result) {
  const info = $('gen-info');
  info.textContent = 'Seed ' + result.seed + ', ' + result.steps + ' steps, ' + result.scheduler
    + (result.clipModel ? '; ranked by ' + modelName(result.clipModel) : '')
    + (result.withheld.length ? '; ' + result.withheld.length + ' withheld: ' + result.withheld[0].reason : '');
  if (result.model.fixture) info.append(demoBadge('Images drawn'));
  for (const c of result.candidates) {
    const card = document.createElement('figure');
    card.className = 'card';
    card.dataset.testid = 'candidate';
    card.dataset.index = c.index;
    const img = document.createElement('img');
    img.src = 'data:image/png;base64,' + c.png;
    img.alt = prompt + ' (seed ' + c.seed + ')';
    const caption = document.createElement('figcaption');
    caption.textContent = '#' + c.rank + ' \u00b7 CLIP ' + c.clipScore.toFixed(3) + ' \u00b7 seed ' + c.seed;
    const keep = document.createElement('button');
    keep.type = 'button';
    keep.textContent = 'Ingest';
    keep.title = 'Add this image to the index with its prompt and seed';
    keep.addEventListener('click', () => ingestCandidate(prompt, result, c, keep));
    caption.append(' ', keep);
    card.append(img, caption);
    $('candidates').append(card);
  }
}

/** Uploads a chosen candidate like any image, with where it came from as metadata. */
async function ingestCandidate(prompt, result, candidate, button) {
  button.disabled = true;
  try {
    const bytes = Uint8Array.from(atob(candidate.png), (ch) => ch.charCodeAt(0));
    const form = new FormData();
    form.append('file', new Blob([bytes], { type: 'image/png' }), 'generated-' + candidate.seed + '.png');
    form.append('metadata', JSON.stringify({
      prompt, seed: candidate.seed, provenance: 'generated', model: modelName(result.model),
    }));
    form.append('tags', 'generated');
    const response = await api('/v1/media', { method: 'POST', body: form });
    const accepted = await response.json();
    button.textContent = 'Ingested ' + accepted.mediaId.slice(0, 8);
  } catch (e) {
    button.disabled = false;
    showError(e.message);
  }
}

// ---------- wiring ----------

document.addEventListener('DOMContentLoaded', () => {
  $('api-key').value = localStorage.getItem(KEY_STORE) || '';
  $('api-key').addEventListener('change', () => localStorage.setItem(KEY_STORE, apiKey()));

  const zone = $('drop-zone');
  zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    [...e.dataTransfer.files].forEach(uploadFile);
  });
  $('file-input').addEventListener('change', (e) => {
    [...e.target.files].forEach(uploadFile);
    e.target.value = '';
  });

  $('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    search({ q: $('query').value }, '\u201c' + $('query').value + '\u201d');
  });
  $('safe-search').addEventListener('change', () => {
    safeChoice = $('safe-search').checked;
    if (lastSearch) search(...lastSearch);
  });
  $('classify-form').addEventListener('submit', classify);
  $('caption-button').addEventListener('click', caption);
  $('ask-form').addEventListener('submit', ask);
  $('generate-form').addEventListener('submit', generate);
});
