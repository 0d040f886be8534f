// app.js - the dyad dashboard: a timeline, the events table and the article view over /api/.
'use strict';

const QUADS = ['verbal cooperation', 'material cooperation', 'verbal conflict',
               'material conflict'];
const SVG = 'http://www.w3.org/2000/svg';

const state = {
  filter: { a: '', b: '', from: '', to: '', by: 'month', code: '', quad: '' },
  sort: 'date', order: 'asc', offset: 0, limit: 50,
  period: null,          // a clicked bar: {period, start, end}; narrows the table only
  article: null, event: null,
  timeline: null,
};

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const k of kids) if (k !== null && k !== undefined) e.append(k);
  return e;
}

function svg(tag, attrs, ...kids) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  for (const k of kids) if (k !== null && k !== undefined) e.append(k);
  return e;
}

// ------------------------------------------------------------------ the API

// Requests under way are counted in <body data-busy>: 0 when the page is still.
let pending = 0;

async function api(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {}))
    if (v !== '' && v !== null && v !== undefined) q.set(k, v);
  const url = '/api/' + path + (q.toString() ? '?' + q : '');
  document.body.dataset.busy = ++pending;
  try {
    const r = await fetch(url, { headers: { Accept: 'application/json' } });
    let body = null;
    try { body = await r.json(); } catch (e) { body = null; }
    if (!r.ok) throw new Error((body && body.error) || ('HTTP ' + r.status));
    return body;
  } finally {
    document.body.dataset.busy = --pending;
  }
}

function showError(msg) {
  const box = $('error');
  box.textContent = msg || '';
  box.hidden = !msg;
}

// ------------------------------------------------------------------ the URL keeps the view

function saveState() {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(state.filter)) if (v) q.set(k, v);
  if (state.sort !== 'date') q.set('sort', state.sort);
  if (state.order !== 'asc') q.set('order', state.order);
  if (state.offset) q.set('offset', state.offset);
  if (state.limit !== 50) q.set('limit', state.limit);
  if (state.article) q.set('article', state.article);
  if (state.event) q.set('event', state.event);
  history.replaceState(null, '', '#' + q.toString());
}

function loadState() {
  const q = new URLSearchParams(location.hash.slice(1));
  for (const k of Object.keys(state.filter)) if (q.has(k)) state.filter[k] = q.get(k);
  state.sort = q.get('sort') || 'date';
  state.order = q.get('order') === 'desc' ? 'desc' : 'asc';
  state.offset = Math.max(0, parseInt(q.get('offset') || '0', 10) || 0);
  state.limit = parseInt(q.get('limit') || '50', 10) || 50;
  state.article = q.get('article');
  state.event = q.get('event') ? Number(q.get('event')) : null;
}

function fillForm() {
  for (const [k, v] of Object.entries(state.filter)) $('f-' + k).value = v;
  $('page-size').value = String(state.limit);
}

function readForm() {
  for (const k of Object.keys(state.filter)) state.filter[k] = $('f-' + k).value.trim();
  state.filter.a = state.filter.a.toUpperCase();
  state.filter.b = state.filter.b.toUpperCase();
  if (!state.filter.a && state.filter.b) {   // one actor given: it is actor A
    state.filter.a = state.filter.b;
    state.filter.b = '';
  }
  state.filter.by = state.filter.by || 'month';
}

// ------------------------------------------------------------------ formatting

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov',
                'Dec'];

function periodLabel(p, by, short) {
  const y = p.period.slice(0, 4);
  const m = MONTHS[parseInt(p.period.slice(5, 7), 10) - 1];
  const d = parseInt(p.period.slice(8, 10), 10);
  if (by === 'year') return y;
  if (by === 'month') return short ? m + ' ' + y.slice(2) : m + ' ' + y;
  if (by === 'week') return (short ? '' : 'week of ') + d + ' ' + m + (short ? '' : ' ' + y);
  return d + ' ' + m + (short ? '' : ' ' + y);
}

function num(x, digits) {
  if (x === null || x === undefined) return '';
  return Number(x).toFixed(digits).replace('-', '\u2212');
}

function quadClass(q) { return 'q' + (q >= 1 && q <= 4 ? q : 0); }

// A CAMEO name without the table's "not specified below" tail.
function shortName(name) { return (name || '').replace(/,?\s*not specified below$/i, ''); }

// ------------------------------------------------------------------ the timeline

function niceStep(max, ticks) {
  const raw = Math.max(1, max) / ticks;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return Math.max(1, m * p);
  return 10 * p;
}

function drawTimeline(data) {
  const box = $('timeline');
  box.textContent = '';
  const periods = data.periods || [];
  const total = periods.reduce((s, p) => s + p.events, 0);
  const by = data.by;
  $('timeline-note').textContent = '';
  if (!total) {
    box.append(el('p', { class: 'empty', text: 'No events for this selection.' }));
    return;
  }
  const W = Math.max(box.clientWidth, 480), H = 250;
  const M = { l: 46, r: 46, t: 14, b: 36 };
  const iw = W - M.l - M.r, ih = H - M.t - M.b;
  const max = Math.max(...periods.map((p) => p.events));
  const step = niceStep(max, 4);
  const top = Math.ceil(max / step) * step;
  const y = (v) => M.t + ih - (v / top) * ih;
  const g = (v) => M.t + ih / 2 - (v / 10) * (ih / 2);   // Goldstein -10..10
  const slot = iw / periods.length;
  const bw = Math.max(1, Math.min(42, slot * 0.72));
  const root = svg('svg', { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: 'img',
                            'aria-label': 'events per period by QuadClass' });

  // grid and axes
  for (let v = 0; v <= top; v += step) {
    root.append(svg('line', { x1: M.l, x2: W - M.r, y1: y(v), y2: y(v), class: 'grid' }));
    root.append(svg('text', { x: M.l - 6, y: y(v) + 4, class: 'axis', 'text-anchor': 'end' },
                    String(v)));
  }
  for (const v of [-10, -5, 0, 5, 10])
    root.append(svg('text', { x: W - M.r + 6, y: g(v) + 4, class: 'axis gold' },
                    v > 0 ? '+' + v : String(v).replace('-', '\u2212')));
  root.append(svg('line', { x1: M.l, x2: W - M.r, y1: g(0), y2: g(0), class: 'zero' }));
  root.append(svg('text', { x: 12, y: M.t + ih / 2, class: 'axis title',
                            transform: `rotate(-90 12 ${M.t + ih / 2})`,
                            'text-anchor': 'middle' }, 'events'));
  root.append(svg('text', { x: W - 10, y: M.t + ih / 2, class: 'axis title gold',
                            transform: `rotate(90 ${W - 10} ${M.t + ih / 2})`,
                            'text-anchor': 'middle' }, 'Goldstein'));

  // stacked bars
  const labelEvery = Math.max(1, Math.ceil(periods.length / Math.max(1, Math.floor(iw / 64))));
  periods.forEach((p, i) => {
    const x = M.l + i * slot + (slot - bw) / 2;
    const grp = svg('g', { class: 'period' + (state.period && state.period.period === p.period
                                              ? ' picked' : ''),
                           'data-period': p.period, 'data-events': p.events });
    let base = 0;
    p.quad.forEach((n, q) => {
      if (!n) return;
      grp.append(svg('rect', { x, y: y(base + n), width: bw, height: Math.max(0.5, y(base) - y(base + n)),
                               class: 'bar q' + (q + 1), 'data-quad': q + 1, 'data-n': n }));
      base += n;
    });
    // a wide transparent target for the pointer, with the tooltip
    const tip = [periodLabel(p, by, false) + ': ' + p.events + ' event' + (p.events === 1 ? '' : 's')];
    p.quad.forEach((n, q) => { if (n) tip.push(n + ' ' + QUADS[q]); });
    if (p.goldstein_mean !== null) tip.push('Goldstein mean ' + num(p.goldstein_mean, 2));
    if (p.ab !== undefined)
      tip.push(data.a + ' \u2192 ' + data.b + ': ' + p.ab + ', ' + data.b + ' \u2192 ' + data.a + ': ' + p.ba);
    tip.push(p.events ? 'click: list these events' : '');
    const hit = svg('rect', { x: M.l + i * slot, y: M.t, width: slot, height: ih, class: 'hit' },
                    svg('title', {}, tip.filter(Boolean).join('\n')));
    if (p.events) hit.addEventListener('click', () => pickPeriod(p));
    grp.append(hit);
    root.append(grp);
    if (i % labelEvery === 0)
      root.append(svg('text', { x: M.l + i * slot + slot / 2, y: H - M.b + 16, class: 'axis',
                                'text-anchor': 'middle' }, periodLabel(p, by, true)));
  });

  // the Goldstein line over the periods with events: solid between neighbours, dashed
  // across periods without events (which have no mean)
  const pts = periods.map((p, i) => p.goldstein_mean === null ? null
    : [M.l + i * slot + slot / 2, g(p.goldstein_mean), i]).filter(Boolean);
  const xy = (pt) => pt[0].toFixed(1) + ' ' + pt[1].toFixed(1);
  let solid = '', gaps = '';
  pts.forEach((pt, k) => {
    if (k === 0) { solid += 'M' + xy(pt); return; }
    const prev = pts[k - 1];
    if (pt[2] === prev[2] + 1) solid += 'L' + xy(pt);
    else { gaps += 'M' + xy(prev) + 'L' + xy(pt); solid += 'M' + xy(pt); }
  });
  if (gaps) root.append(svg('path', { d: gaps, class: 'gold-gap' }));
  root.append(svg('path', { d: solid, class: 'gold-line' }));
  for (const pt of pts)
    root.append(svg('circle', { cx: pt[0], cy: pt[1], r: 2.8, class: 'gold-dot' }));
  box.append(root);
  const days = periods.length;
  $('timeline-note').textContent = total + ' event' + (total === 1 ? '' : 's') + ' in ' + days +
    ' ' + by + (days === 1 ? '' : 's') + ' \u00b7 click a bar to list its events';
}

function timelineTitle() {
  const f = state.filter;
  if (f.a && f.b) return 'Dyad ' + f.a + ' \u2194 ' + f.b;
  if (f.a) return 'Actor ' + f.a + ' (as source or target)';
  return 'All events';
}

async function loadTimeline() {
  const f = state.filter;
  $('timeline-title').textContent = timelineTitle();
  const data = await api('timeline', f);
  state.timeline = data;
  drawTimeline(data);
}

function pickPeriod(p) {
  state.period = state.period && state.period.period === p.period ? null : p;
  state.offset = 0;
  if (state.timeline) drawTimeline(state.timeline);
  loadEvents().catch((e) => showError(e.message));
}

// ------------------------------------------------------------------ the events table

function actorCell(code, text) {
  if (!code && !text) return el('td', { class: 'none', text: '\u2014' });
  return el('td', {}, el('span', { class: 'code', text: code || '?' }),
            text ? el('span', { class: 'words', text }) : null);
}

function eventRow(e) {
  const tr = el('tr', {
    'data-id': e.id, 'data-article': e.article, 'data-source': e.source || '',
    'data-target': e.target || '', 'data-code': e.code, 'data-date': e.date,
    title: e.text || '', tabindex: 0,
    class: state.event === e.id ? 'selected' : null,
  });
  tr.append(el('td', { class: 'when' }, el('span', { class: 'date', text: e.date }),
               e.location ? el('span', { class: 'place', text: e.location }) : null));
  tr.append(actorCell(e.source, e.source_text));
  tr.append(el('td', { class: 'event', title: e.name || '' },
               el('span', { class: 'badge ' + quadClass(e.quad), text: e.code,
                            title: 'QuadClass ' + e.quad + ': ' + (QUADS[e.quad - 1] || '') }),
               el('span', { class: 'name', text: shortName(e.name) }),
               e.verb ? el('span', { class: 'verb', text: '\u201c' + e.verb + '\u201d' }) : null));
  tr.append(actorCell(e.target, e.target_text));
  tr.append(el('td', { class: 'num gold ' + (e.goldstein < 0 ? 'neg' : e.goldstein > 0 ? 'pos' : ''),
                       text: num(e.goldstein, 1) }));
  tr.append(el('td', { class: 'art', title: (e.title || e.article) + ' (' + e.article + ')' },
               el('span', { class: e.title ? 'title' : 'title id', text: e.title || e.article }),
               e.title ? el('span', { class: 'words', text: e.article }) : null));
  const open = () => openArticle(e.article, e.id);
  tr.addEventListener('click', open);
  tr.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') open(); });
  return tr;
}

function sortHeaders() {
  for (const th of document.querySelectorAll('#events th[data-sort]')) {
    th.classList.toggle('sorted', th.dataset.sort === state.sort);
    th.classList.toggle('desc', th.dataset.sort === state.sort && state.order === 'desc');
  }
}

async function loadEvents() {
  const params = Object.assign({}, state.filter, {
    sort: state.sort, order: state.order, offset: state.offset, limit: state.limit,
  });
  delete params.by;
  if (state.period) {   // the bar's days, within the range asked for
    params.from = state.filter.from && state.filter.from > state.period.start
      ? state.filter.from : state.period.start;
    params.to = state.filter.to && state.filter.to < state.period.end
      ? state.filter.to : state.period.end;
  }
  const data = await api('events', params);
  const body = document.querySelector('#events tbody');
  body.textContent = '';
  for (const e of data.events) body.append(eventRow(e));
  if (!data.events.length)
    body.append(el('tr', {}, el('td', { colspan: 6, class: 'empty', text: 'No events.' })));
  const first = data.total ? data.offset + 1 : 0;
  const last = data.offset + data.events.length;
  $('events-count').textContent = data.total + ' in all';
  $('page-info').textContent = first + '\u2013' + last + ' of ' + data.total;
  $('prev').disabled = data.offset === 0;
  $('next').disabled = last >= data.total;
  const chip = $('period-chip');
  chip.hidden = !state.period;
  chip.textContent = '';
  if (state.period)
    chip.append(periodLabel(state.period, state.filter.by, false) + ' ',
                el('button', { type: 'button', title: 'all periods', text: '\u00d7',
                               onclick: () => pickPeriod(state.period) }));
  sortHeaders();
  saveState();
}

// ------------------------------------------------------------------ the article view

// UTF-16 index of every UTF-8 byte offset of s (the API's offsets are bytes).
function byteToIndex(s) {
  const out = [];
  let b = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < s.length;
    const n = c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
    for (let k = 0; k < n; k++) out[b + k] = i;
    b += n;
    if (pair) i++;
  }
  out[b] = s.length;
  return out;
}

// The text cut where spans begin and end, each piece in a <mark> naming the kinds of the
// spans over it (hl-source, ...) and those of the selected event (sel-source, ...).
function highlighted(text, spans, selected) {
  const map = byteToIndex(text);
  const idx = (b) => map[Math.min(Math.max(0, b), map.length - 1)];
  const sp = spans.map((s) => ({ s, a: idx(s.start), b: idx(s.end) })).filter((x) => x.b > x.a);
  const cuts = new Set([0, text.length]);
  for (const x of sp) { cuts.add(x.a); cuts.add(x.b); }
  const pos = [...cuts].sort((p, q) => p - q);
  const frag = document.createDocumentFragment();
  for (let i = 0; i + 1 < pos.length; i++) {
    const a = pos[i], b = pos[i + 1];
    const piece = text.slice(a, b);
    const on = sp.filter((x) => x.a <= a && x.b >= b);
    if (!on.length) { frag.append(piece); continue; }
    const kinds = new Set(on.map((x) => x.s.kind));
    const selKinds = new Set(on.filter((x) => x.s.event !== undefined && x.s.event === selected)
                               .map((x) => x.s.kind));
    const cls = ['hl', ...[...kinds].map((k) => 'hl-' + k), ...[...selKinds].map((k) => 'sel-' + k)];
    if (selKinds.size) cls.push('sel');
    const events = on.filter((x) => x.s.event !== undefined).map((x) => x.s.event);
    const node = el('mark', { class: cls.join(' '), 'data-kinds': [...kinds].join(' '),
                              'data-sel': [...selKinds].join(' '),
                              'data-events': [...new Set(events)].join(' ') }, piece);
    if (events.length) node.addEventListener('click', () => selectEvent(events[0]));
    frag.append(node);
  }
  return frag;
}

let current = null;   // the article shown: the API's answer

function articleEventLine(e, k) {
  const li = el('li', { 'data-event': k, class: k === current.selected ? 'selected' : null },
    el('span', { class: 'date', text: e.date }), ' ',
    el('span', { class: 'code', text: e.source || '\u2014' }), ' ',
    el('span', { class: 'badge ' + quadClass(e.quad), text: e.code }), ' ',
    el('span', { class: 'name', text: shortName(e.name) }), ' ',
    el('span', { class: 'code', text: e.target || '\u2014' }),
    e.verb ? el('span', { class: 'verb', text: ' \u201c' + e.verb + '\u201d' }) : null);
  li.addEventListener('click', () => selectEvent(k));
  return li;
}

function renderArticle() {
  const box = $('article');
  box.textContent = '';
  const d = current;
  const a = d.article;
  const head = el('div', { class: 'art-head' });
  const url = a.url && /^https?:\/\//i.test(a.url) ? a.url : null;
  head.append(el('h3', {}, url
    ? el('a', { href: url, target: '_blank', rel: 'noopener noreferrer', text: a.title || a.id })
    : (a.title || a.id)));
  head.append(el('div', { class: 'meta',
    text: [a.date, a.source, a.title ? a.id : null].filter(Boolean).join(' \u00b7 ') ||
          'no date or source stored' }));
  box.append(head);
  box.append(el('div', { class: 'hl-legend' },
    el('mark', { class: 'hl hl-source', text: 'source' }), ' ',
    el('mark', { class: 'hl hl-verb', text: 'verb' }), ' ',
    el('mark', { class: 'hl hl-target', text: 'target' }), ' ',
    el('mark', { class: 'hl hl-quote', text: 'quotation' }),
    el('span', { class: 'hint', text: ' \u00b7 the selected event is outlined' })));
  const body = el('div', { class: 'art-text', id: 'article-text' });
  if (d.offsets === 'text') {
    body.append(highlighted(a.text, d.spans, d.selected));
  } else {
    body.append(el('p', { class: 'note', text:
      'The store holds the coded sentences of this article only (loaded records).' }));
    for (const s of d.sentences)
      body.append(el('p', { class: 'sentence', 'data-idx': s.idx },
        highlighted(s.text, d.spans.filter((x) => x.sentence === s.idx), d.selected)));
  }
  box.append(body);
  if (d.events.length) {
    box.append(el('h4', { text: 'Events in this article (' + d.events.length + ')' }));
    box.append(el('ol', { class: 'art-events' }, ...d.events.map(articleEventLine)));
  }
  if (d.quotes.length) {
    box.append(el('h4', { text: 'Quotations (' + d.quotes.length + ')' }));
    box.append(el('ul', { class: 'art-quotes' }, ...d.quotes.map((q) => el('li', {},
      el('span', { class: 'code', text: q.speaker || '?' }), ' ',
      el('span', { class: 'words', text: q.speaker_text || '' }), ': \u201c' + q.text + '\u201d'))));
  }
  // bring the selected event into view inside the panel, leaving the page where it is
  const sel = box.querySelector('mark.sel');
  const panel = $('article-panel');
  if (sel) {
    const r = sel.getBoundingClientRect(), p = panel.getBoundingClientRect();
    panel.scrollTop += r.top - p.top - panel.clientHeight / 3;
  } else {
    panel.scrollTop = 0;
  }
}

function selectEvent(k) {
  if (!current) return;
  current.selected = k;
  const e = current.events[k];
  state.event = e ? e.id : null;
  for (const tr of document.querySelectorAll('#events tbody tr'))
    tr.classList.toggle('selected', e && tr.dataset.id === String(e.id));
  renderArticle();
  saveState();
}

async function openArticle(id, eventId) {
  const d = await api('article', { id }).catch((e) => { showError(e.message); return null; });
  if (!d) return;
  showError('');
  current = d;
  state.article = id;
  state.event = eventId === undefined ? null : eventId;
  current.selected = d.events.findIndex((e) => e.id === state.event);
  for (const tr of document.querySelectorAll('#events tbody tr'))
    tr.classList.toggle('selected', tr.dataset.id === String(state.event));
  renderArticle();
  saveState();
  if (window.innerWidth < 1100) $('article-panel').scrollIntoView({ behavior: 'instant' });
}

// ------------------------------------------------------------------ search

async function search(words) {
  const d = await api('search', { q: words, limit: 50 });
  const box = $('article');
  box.textContent = '';
  current = null;
  box.append(el('h3', { text: 'Sentences with \u201c' + words + '\u201d' }));
  const groups = [];
  for (const r of d.rows) {
    const last = groups[groups.length - 1];
    if (last && last.article === r.article && last.sentence === r.sentence) last.rows.push(r);
    else groups.push({ article: r.article, sentence: r.sentence, text: r.text, rows: [r] });
  }
  if (!groups.length) box.append(el('p', { class: 'placeholder', text: 'No sentence found.' }));
  const ul = el('ul', { class: 'results' });
  for (const g of groups) {
    const li = el('li', {}, el('div', { class: 'words', text: g.article + ' \u00b7 sentence ' + g.sentence }),
                  el('div', { text: g.text }));
    const ev = g.rows.filter((r) => r.code);
    if (ev.length)
      li.append(el('div', { class: 'result-events' }, ...ev.map((r) => el('span', {},
        el('span', { class: 'code', text: r.source || '\u2014' }), ' ',
        el('span', { class: 'badge ' + quadClass(r.quad), text: r.code }), ' ',
        el('span', { class: 'code', text: r.target || '\u2014' })))));
    li.addEventListener('click', () => openArticle(g.article));
    ul.append(li);
  }
  box.append(ul);
}

// ------------------------------------------------------------------ wiring

async function refresh() {
  showError('');
  try {
    await Promise.all([loadTimeline(), loadEvents()]);
  } catch (e) {
    showError(e.message);
  }
}

async function setup() {
  const info = await api('info');
  const s = info.store;
  $('store-info').textContent = s.articles + ' articles \u00b7 ' + s.events + ' events \u00b7 ' +
    s.quotes + ' quotations' + (s.first ? ' \u00b7 ' + s.first + ' to ' + s.last : '');
  for (const r of info.roots)
    $('f-code').append(el('option', { value: r.code, text: r.code + ' ' + (r.name || '') }));
  for (const id of ['f-from', 'f-to']) {
    if (s.first) $(id).min = s.first;
    if (s.last) $(id).max = s.last;
  }
  Promise.all([api('actors', { by: 'country', limit: 200 }), api('actors', { limit: 400 })])
    .then(([countries, codes]) => {
      const seen = new Set();
      const list = $('actor-list');
      for (const a of [...countries.actors, ...codes.actors]) {
        if (seen.has(a.actor)) continue;
        seen.add(a.actor);
        list.append(el('option', { value: a.actor, label: a.actor + ' \u00b7 ' + a.total + ' events' }));
      }
    }).catch(() => {});

  loadState();
  fillForm();
  $('filters').addEventListener('submit', (ev) => {
    ev.preventDefault();
    readForm();
    fillForm();
    state.offset = 0;
    state.period = null;
    refresh();
  });
  $('f-reset').addEventListener('click', () => {
    state.filter = { a: '', b: '', from: '', to: '', by: 'month', code: '', quad: '' };
    state.offset = 0;
    state.period = null;
    fillForm();
    refresh();
  });
  $('prev').addEventListener('click', () => {
    state.offset = Math.max(0, state.offset - state.limit);
    loadEvents().catch((e) => showError(e.message));
  });
  $('next').addEventListener('click', () => {
    state.offset += state.limit;
    loadEvents().catch((e) => showError(e.message));
  });
  $('page-size').addEventListener('change', () => {
    state.limit = parseInt($('page-size').value, 10);
    state.offset = 0;
    loadEvents().catch((e) => showError(e.message));
  });
  for (const th of document.querySelectorAll('#events th[data-sort]'))
    th.addEventListener('click', () => {
      const col = th.dataset.sort;
      state.order = state.sort === col && state.order === 'asc' ? 'desc' : 'asc';
      state.sort = col;
      state.offset = 0;
      loadEvents().catch((e) => showError(e.message));
    });
  $('search').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const q = $('search-q').value.trim();
    if (q) search(q).catch((e) => showError(e.message));
  });
  let resize = null;
  window.addEventListener('resize', () => {
    clearTimeout(resize);
    resize = setTimeout(() => { if (state.timeline) drawTimeline(state.timeline); }, 150);
  });
  await refresh();
  if (state.article) await openArticle(state.article, state.event === null ? undefined : state.event);
  document.body.dataset.ready = '1';
}

setup().catch((e) => showError('cannot reach the dyad server: ' + e.message));
