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

async function search(params, label) {
  showError('');
  const query = new URLSearchParams({ k: '24', explain: 'true', ...params });
  try {
    const result = await (await api('/v1/search?' + query)).json();
    $('search-info').textContent = result.hits.length + ' result(s) for ' + label +
      (result.model && result.model.name ? ' \u00b7 model ' + result.model.name + ' ' + result.model.version : '');
    renderResults(result.hits);
  } catch (e) {
    showError(e.message);
  }
}

function renderResults(hits) {
  const grid = $('results');
  grid.innerHTML = '';
  for (const hit of hits) {
    const card = document.createElement('article');
    card.className = 'card';
    card.dataset.testid = 'result';
    card.dataset.mediaId = hit.mediaId;
    const img = document.createElement('img');
    img.alt = hit.caption || hit.mediaId;
    card.append(img);
    loadThumbnail(img, hit.mediaId);

    const meta = document.createElement('div');
    meta.className = 'meta';
    const score = document.createElement('div');
    score.className = 'score';
    score.dataset.testid = 'score';
    score.textContent = 'score ' + hit.score.toFixed(3);
    meta.append(score);
    if (hit.caption) {
      const caption = document.createElement('div');
      caption.dataset.testid = 'result-caption';
      caption.textContent = hit.caption;
      meta.append(caption);
    }
    const sources = Object.entries(hit.sources || {});
    if (sources.length) {
      const matched = document.createElement('div');
      matched.className = 'sources';
      matched.dataset.testid = 'sources';
      matched.textContent = 'matched: ' + sources.map(([name, s]) => name + ' ' + s.toFixed(2)).join(', ');
      meta.append(matched);
    }
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
    actions.append(more, open);
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
  loadThumbnail($('detail-thumb'), mediaId);
  try {
    const status = await (await api('/v1/media/' + encodeURIComponent(mediaId))).json();
    $('detail-status').textContent = status.state + ' \u00b7 embedded by ' +
      (status.embeddedBy.map((e) => e.model + ' ' + e.version).join(', ') || 'none yet') +
      ' \u00b7 ' + (status.captioned ? 'captioned' : 'not captioned') + ' \u00b7 ' + (status.ocrDone ? 'OCR done' : 'no OCR');
  } catch (e) {
    $('detail-status').textContent = e.message;
  }
  $('detail').scrollIntoView({ behavior: 'smooth' });
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
  } catch (e) {
    $('caption').textContent = '';
    showError(e.message);
  }
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
      body: JSON.stringify({ mediaId: current, question: $('question').value }),
    });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
        handleSse(buffer.slice(0, end), answer);
        buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
      }
    }
  } catch (e) {
    showError(e.message);
  }
  answer.dataset.done = 'true';
}

function handleSse(block, answer) {
  let name = 'message';
  const data = [];
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith('event:')) name = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  if (!data.length) return;
  const payload = JSON.parse(data.join('\n'));
  if (name === 'token') answer.textContent += payload.token;
  else if (name === 'final') answer.textContent = payload.text;
  else if (name === 'error') showError(payload.title + ': ' + (payload.detail || ''));
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
  $('classify-form').addEventListener('submit', classify);
  $('caption-button').addEventListener('click', caption);
  $('ask-form').addEventListener('submit', ask);
});
