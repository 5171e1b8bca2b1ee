// AFD Suite operator console: sign-in, experiments list and creation, a live experiment view
// (server-sent events over fetch), and the client pool. Plain ES2020 module, no framework.
// Every value from the API reaches the page through textContent or a canvas (ECharts), never as HTML.

const TOKEN_KEY = 'afd.token';
const ROUND_STATES = ['OPEN', 'TASKS_SENT', 'COLLECTING', 'CLOSING', 'AGGREGATED', 'SCORES_UPDATED', 'FAILED'];
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const KB = 1024;
const DASH = '—';
const DB_DOWN = "The suite's database is unavailable; retrying";
const MSG_401 = 'The token was refused (missing, expired or from another issuer)';
const MSG_403 = 'This token has no console role (viewer, operator or admin)';

const $ = (id) => document.getElementById(id);

/** The signed-in operator: the token and what its payload says (for display and hiding controls only). */
const session = { token: null, sub: '', roles: [] };
/** The current view's lifecycle: aborting the controller stops its requests, timers and stream. */
let view = null;
/** A message for the next view (e.g. "created, but start failed"), shown once. */
let flash = null;

// ---------------------------------------------------------------- DOM helpers

/** Creates an element; props set properties (or attributes), on* add listeners, children become text nodes. */
function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v == null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k in node) node[k] = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c == null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

const errorSlot = (id) => h('p', { class: 'error', id, role: 'alert' });
const showError = (slot, text) => { if (slot) slot.textContent = text || ''; };
const errText = (e) => e?.reason || e?.message || String(e);
const isAbort = (e) => e?.name === 'AbortError';

const setNotice = (text) => Object.assign($('notice'), { textContent: text || '', hidden: !text });

/** A cell with its own td properties (title, class) for table().fill: cell(content, { title }). */
const cell = (content, props = {}) => ({ cell: true, content, props });

/** A table in a horizontally scrolling wrapper; fill() replaces its rows (cells: strings, nodes or cell()s). */
function table(id, headers) {
  const tbody = h('tbody');
  const t = h('table', { id }, h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))), tbody);
  return {
    wrap: h('div', { class: 'table-wrap' }, t),
    fill: (rows, emptyText) => tbody.replaceChildren(...(rows.length
      ? rows.map((cells) => h('tr', {}, cells.map((c) => (c?.cell ? h('td', c.props, c.content) : h('td', {}, c)))))
      : [h('tr', {}, h('td', { colSpan: headers.length, class: 'empty' }, emptyText))])),
  };
}

const badge = (status, id) =>
  h('span', { id, class: `badge badge-${String(status || '').toLowerCase().replace(/[^a-z_]/g, '')}` }, status || DASH);
const kv = (label, value) => h('div', { class: 'kv' }, h('span', { class: 'k' }, label), h('span', { class: 'v' }, value));
const section = (title, ...children) => h('section', { class: 'card' }, h('h2', {}, title), ...children);

// ---------------------------------------------------------------- formatting

const fmtPct = (x) => (x == null ? DASH : `${(x * 100).toFixed(2)} %`);
const fmtNum = (x, digits = 4) => (x == null ? DASH : Number(x).toFixed(digits));
const fmtInt = (x) => (x == null ? DASH : String(x));
const fmtCount = (x) => (x == null || !Number.isFinite(Number(x)) ? DASH : Number(x).toLocaleString('en-US'));
const fmtKB = (bytes) => (bytes == null || !Number.isFinite(bytes) ? DASH : (bytes / KB).toFixed(1));
const fmtTime = (iso) => (iso ? new Date(iso).toLocaleString() : DASH);
const perClient = (bytes, n) => (bytes == null || !n ? null : bytes / n);
const fmtScore = (v) => (typeof v !== 'number' ? DASH : Math.abs(v) >= 1e3 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : v.toFixed(4));

/** Seconds as mm:ss (h:mm:ss from an hour on). */
function fmtClock(sec) {
  const s = Math.max(0, Math.round(sec));
  const pad = (n) => String(n).padStart(2, '0');
  const hh = Math.floor(s / 3600), mm = Math.floor((s % 3600) / 60), ss = s % 60;
  return hh ? `${hh}:${pad(mm)}:${pad(ss)}` : `${pad(mm)}:${pad(ss)}`;
}

/** "12 s ago", "3 min ago", "5 h ago", "2 d ago". */
function fmtAgo(iso) {
  if (!iso) return 'never';
  const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
  if (!Number.isFinite(s)) return DASH;
  if (s < 1) return 'just now';
  const [unit, size] = s < 60 ? ['s', 1] : s < 3600 ? ['min', 60] : s < 86400 ? ['h', 3600] : ['d', 86400];
  return `${Math.floor(s / size)} ${unit} ago`;
}

const timeAgo = (iso) => h('time', { dateTime: iso || '', title: fmtTime(iso) }, fmtAgo(iso));
const duration = (r) => (r.startedAt && r.finishedAt ? (Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000 : null);

/** Escapes text for ECharts tooltips, which render their formatter's string as HTML. */
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// ---------------------------------------------------------------- API

class ApiError extends Error {
  constructor(status, error, reason) { super(reason); Object.assign(this, { status, error, reason }); }
}

/** Reads an error answer ({"status", "error", "reason"}) into an ApiError, whatever the body is. */
async function readError(res) {
  let body = null;
  try { body = await res.json(); } catch { /* not JSON */ }
  const reason = body?.reason || body?.error || `${res.status} ${res.statusText || 'error'}`;
  return new ApiError(res.status, body?.error ?? null, reason);
}

/** Resolves after ms, or rejects with an AbortError when the signal aborts first. */
function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    const aborted = () => { clearTimeout(t); reject(new DOMException('aborted', 'AbortError')); };
    const t = setTimeout(resolve, ms);
    if (signal?.aborted) aborted(); else signal?.addEventListener('abort', aborted, { once: true });
  });
}

const authHeaders = (token = session.token) => ({ Authorization: `Bearer ${token}` });

/**
 * Calls the API with the bearer token and returns the parsed JSON (a Blob with blob: true, for downloads).
 * Throws ApiError with the answer's reason.
 * 503 database_unavailable is retried every 2 s (with a notice); 401 ends the session unless quiet401.
 */
async function api(path, { method = 'GET', body, signal, token, quiet401 = false, blob = false } = {}) {
  for (;;) {
    const headers = { ...authHeaders(token ?? session.token), Accept: blob ? 'application/octet-stream' : 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(path, { method, headers, signal, body: body === undefined ? undefined : JSON.stringify(body) });
    if (res.ok) {
      setNotice(null);
      if (blob) return res.blob();
      const text = await res.text();
      return text ? JSON.parse(text) : null;
    }
    const err = await readError(res);
    if (res.status === 503 && err.error === 'database_unavailable') { setNotice(DB_DOWN); await sleep(2000, signal); continue; }
    if (res.status === 401 && !quiet401) sessionEnded();
    throw err;
  }
}

// ---------------------------------------------------------------- session

/** The JWT payload (base64url middle part), or {} when the token is not a readable JWT. */
function decodeClaims(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(part.padEnd(Math.ceil(part.length / 4) * 4, '=')), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) || {};
  } catch { return {}; }
}

const hasRole = (...names) => names.some((r) => session.roles.includes(r));
const canOperate = () => hasRole('operator', 'admin');
const isAdmin = () => hasRole('admin');

async function signIn(token) {
  const slot = $('signin-error'), button = $('signin');
  showError(slot, '');
  button.disabled = true;
  try {
    await api('/api/experiments', { token, quiet401: true });
  } catch (e) {
    if (e.status === 401 || e.status === 403) sessionStorage.removeItem(TOKEN_KEY);
    showError(slot, e.status === 401 ? MSG_401 : e.status === 403 ? MSG_403 : `Could not sign in: ${errText(e)}`);
    return;
  } finally {
    button.disabled = false;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  const claims = decodeClaims(token);
  Object.assign(session, { token, sub: claims.sub || '', roles: Array.isArray(claims.groups) ? claims.groups.map(String) : [] });
  $('token').value = '';
  $('whoami').textContent = session.sub || '(no subject)';
  $('roles').textContent = session.roles.length ? session.roles.join(', ') : 'no roles';
  showApp(true);
  route();
}

function showApp(on) {
  $('signin-view').hidden = on;
  $('app-header').hidden = $('view').hidden = !on;
}

function showSignIn(message) {
  leaveView();
  Object.assign(session, { token: null, sub: '', roles: [] });
  showApp(false);
  $('view').replaceChildren();
  showError($('signin-error'), message);
  $('token').focus();
}

function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  showSignIn('');
}

/** A 401 after sign-in: the token expired or was revoked. */
function sessionEnded() {
  if (!session.token) return;
  sessionStorage.removeItem(TOKEN_KEY);
  showSignIn(`You were signed out: ${MSG_401.charAt(0).toLowerCase()}${MSG_401.slice(1)}. Sign in again.`);
}

// ---------------------------------------------------------------- routing and view lifecycle

function leaveView() {
  if (!view) return;
  view.controller.abort();
  view.cleanups.forEach((fn) => fn());
  view.charts.forEach((c) => c.dispose());
  view = null;
}

function route() {
  if (!session.token) return;
  const hash = location.hash;
  let render = null, name = '';
  const m = hash.match(/^#\/experiments\/(.+)$/);
  if (hash === '#/experiments') [render, name] = [experimentsView, 'experiments'];
  else if (hash === '#/clients') [render, name] = [clientsView, 'clients'];
  else if (m) {
    let id = null;
    try { id = decodeURIComponent(m[1]); } catch { /* malformed: go to the list */ }
    if (id) [render, name] = [(main) => detailView(main, id), 'experiments'];
  }
  if (!render) { location.replace('#/experiments'); return; }
  leaveView();
  view = { controller: new AbortController(), cleanups: [], charts: [] };
  document.querySelectorAll('.nav a').forEach((a) => (a.dataset.route === name
    ? a.setAttribute('aria-current', 'page') : a.removeAttribute('aria-current')));
  $('view').replaceChildren();
  render($('view'));
}

/**
 * Runs fn now and then ms after each run ends, until the view is left; errors go to the slot.
 * Returns a function that runs fn again at once (after the run in progress, if any).
 */
function poll(fn, ms, slot) {
  const { signal } = view.controller;
  let wake = null, again = false;
  (async () => {
    while (!signal.aborted) {
      again = false;
      try { await fn(signal); } catch (e) { if (isAbort(e)) return; showError(slot, errText(e)); }
      if (again) continue;
      try {
        await new Promise((resolve, reject) => { wake = resolve; sleep(ms, signal).then(resolve, reject); });
      } catch { return; } finally { wake = null; }
    }
  })();
  return () => { if (wake) wake(); else again = true; };
}

/** Saves a Blob as a file: a temporary object URL behind a temporary <a download>, revoked afterwards. */
function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** An ECharts instance in container, disposed with the view (null when ECharts did not load). */
function chart(container) {
  if (typeof echarts === 'undefined') {
    Object.assign(container, { textContent: 'Charts are unavailable: ECharts did not load.', className: 'chart-missing' });
    return null;
  }
  const c = echarts.init(container);
  view.charts.push(c);
  return c;
}

function disposeCharts(list) {
  list.forEach((c) => c.dispose());
  if (view) view.charts = view.charts.filter((c) => !list.includes(c));
  list.length = 0;
}

// ---------------------------------------------------------------- experiments list and creation

function experimentsView(main) {
  const err = errorSlot('experiments-error');
  const t = table('experiments', ['id', 'status', 'round', 'rounds done', 'last accuracy', 'best accuracy', 'updated']);
  main.append(h('div', { class: 'view-head' }, h('h1', {}, 'Experiments')), err, t.wrap);
  if (isAdmin()) main.append(createForm());
  poll(async (signal) => {
    const list = await api('/api/experiments', { signal });
    showError(err, '');
    t.fill(list.map((e) => [h('a', { href: `#/experiments/${encodeURIComponent(e.id)}` }, e.id), badge(e.status),
      fmtInt(e.currentRound), fmtInt(e.roundsDone), fmtPct(e.lastAccuracy), fmtPct(e.bestAccuracy), timeAgo(e.updatedAt),
    ]), 'No experiments yet.');
  }, 3000, err);
}

/** A labelled form field with its own error slot. */
function field(label, input, hint) {
  const err = errorSlot(`${input.id}-error`);
  const node = h('div', { class: 'field' }, h('label', { for: input.id }, label), input, hint && h('p', { class: 'hint' }, hint), err);
  return { node, err };
}

function createForm() {
  const { signal } = view.controller;
  const idIn = h('input', { id: 'exp-id', type: 'text', autocomplete: 'off', spellcheck: false, placeholder: 'e.g. dgc-run-01' });
  const tplSel = h('select', { id: 'template' }, h('option', { value: '' }, '(choose a template)'));
  const cfg = h('textarea', { id: 'exp-config', rows: 12, spellcheck: false });
  const timeout = h('input', { id: 'exp-timeout', type: 'number', min: '1', max: '86400', step: '1', value: '60' });
  const quorum = h('input', { id: 'exp-quorum', type: 'number', min: '0', max: '1', step: '0.05', value: '1.0' });
  const f = {
    id: field('Experiment id', idIn, 'Letters, digits, ".", "_" and "-"; up to 128 characters'),
    tpl: field('Template', tplSel),
    cfg: field('Config (YAML)', cfg),
    timeout: field('Round timeout (seconds)', timeout, '1 to 86400'),
    quorum: field('Quorum', quorum, 'Share of the participants a round needs, in (0, 1]'),
  };
  const createBtn = h('button', { type: 'submit', id: 'create' }, 'Create');
  const startBtn = h('button', { type: 'button', id: 'create-start', class: 'secondary', onclick: () => submit(true) }, 'Create and start');
  const formErr = errorSlot('create-error');
  const form = h('form', { id: 'create-form', class: 'card form', novalidate: true }, h('h2', {}, 'New experiment'),
    h('div', { class: 'form-grid' }, f.id.node, f.tpl.node, f.timeout.node, f.quorum.node),
    f.cfg.node, h('div', { class: 'actions' }, createBtn, startBtn), formErr);
  form.addEventListener('submit', (e) => { e.preventDefault(); submit(false); });

  let templates = [];
  api('/api/templates', { signal }).then((list) => {
    templates = Array.isArray(list) ? list : [];
    tplSel.append(...templates.map((t) => h('option', { value: t.name }, t.name)));
  }).catch((e) => { if (!isAbort(e)) showError(f.tpl.err, errText(e)); });
  tplSel.addEventListener('change', () => {
    const t = templates.find((x) => x.name === tplSel.value);
    if (t) cfg.value = t.yaml;
  });
  const num = (input) => (input.value === '' ? NaN : Number(input.value));

  async function submit(andStart) {
    const body = { id: idIn.value.trim(), config: cfg.value, roundTimeoutSeconds: num(timeout), quorum: num(quorum) };
    showError(formErr, '');
    if (!validateCreate(body, f)) return;
    createBtn.disabled = startBtn.disabled = true;
    try {
      const created = await api('/api/experiments', { method: 'POST', body, signal });
      const id = created?.id ?? body.id;
      if (andStart) {
        // the experiment exists now: whatever start answers, go to it (a failure is shown there)
        await api(`/api/experiments/${encodeURIComponent(id)}/start`, { method: 'POST', signal }).catch((e) => {
          if (isAbort(e)) throw e;
          flash = `Created, but it did not start: ${errText(e)}`;
        });
      }
      location.hash = `#/experiments/${encodeURIComponent(id)}`;
    } catch (e) {
      if (!isAbort(e)) showError(formErr, errText(e));
    }
    createBtn.disabled = startBtn.disabled = false;
  }
  return form;
}

/** Checks the create body locally, writing each problem next to its field; true when all is well. */
function validateCreate(v, f) {
  let ok = true;
  const check = (fld, bad, msg) => { showError(fld.err, bad ? msg : ''); if (bad) ok = false; };
  check(f.id, !ID_PATTERN.test(v.id), 'Start with a letter or digit; then letters, digits, ".", "_" or "-" (at most 128 characters)');
  check(f.cfg, !v.config.trim(), 'The config YAML is required (choose a template or paste one)');
  const t = v.roundTimeoutSeconds;
  check(f.timeout, !Number.isInteger(t) || t < 1 || t > 86400, 'A whole number of seconds from 1 to 86400');
  check(f.quorum, !(v.quorum > 0 && v.quorum <= 1), 'A number greater than 0 and at most 1');
  return ok;
}

// ---------------------------------------------------------------- experiment detail

function detailView(main, id) {
  const { signal } = view.controller;
  const base = `/api/experiments/${encodeURIComponent(id)}`;
  const state = { exp: null, rounds: [], dense: null, scoreTrigger: null, scoreKey: null,
    versionsTrigger: null, versionsKey: null, versionsSeq: 0 };

  const live = h('span', { id: 'live', class: 'live off' }, 'connecting');
  const loadErr = errorSlot('detail-error');
  const statusEl = badge('…', 'status');
  const roundEl = h('span'), versionEl = h('span'), stepEl = h('span', { id: 'step' });
  const failure = h('p', { class: 'failure', hidden: true });
  const livePanel = h('section', { id: 'live-round', class: 'card' });
  const accDiv = h('div', { id: 'chart-accuracy', class: 'chart' });
  const bytesDiv = h('div', { id: 'chart-bytes', class: 'chart' });
  const rounds = table('rounds', ['round', 'state', 'participants', 'received', 'rejected', 'accuracy', 'test loss',
    'train loss', 'KB down / client', 'KB up / client', 'duration']);
  const scoreErr = errorSlot('scoremaps-error');
  const scoreBody = h('div', { class: 'scoremap-list' }, h('p', { class: 'muted' }, 'Loading…'));
  const versionsErr = errorSlot('versions-error');
  const versions = table('versions-table', ['version', 'round', 'parent', 'parameters', 'size (KB)', 'sha256',
    'test accuracy', 'created', 'weights']);
  versions.fill([], 'Loading…');
  const deadlineEl = h('span');

  const actions = actionButtons(base, signal, (exp) => { state.exp = exp; renderStatus(); }, loadErr);
  main.append(...[
    h('div', { class: 'view-head' }, h('h1', {}, h('a', { href: '#/experiments', class: 'back' }, 'Experiments'), ' / ', id), live),
    loadErr,
    h('div', { class: 'card status-line' }, kv('Experiment', id), kv('Status', statusEl), kv('Round', roundEl),
      kv('Model version', versionEl), kv('Step', stepEl)),
    failure, actions, livePanel,
    h('div', { class: 'charts' }, section('Accuracy and loss', accDiv), section('Bytes per client and round', bytesDiv)),
    section('Rounds', rounds.wrap),
    h('section', { id: 'versions', class: 'card' }, h('h2', {}, 'Model versions'), versionsErr, versions.wrap),
    h('section', { id: 'scoremaps', class: 'card' }, h('h2', {}, 'Score maps'), scoreErr, scoreBody),
  ].filter(Boolean));
  if (flash) { showError(loadErr, flash); flash = null; }
  const accChart = chart(accDiv), bytesChart = chart(bytesDiv);
  const scoreCharts = [];

  function renderStatus() {
    const e = state.exp;
    if (!e) return;
    statusEl.textContent = e.status;
    statusEl.className = badge(e.status).className;
    roundEl.textContent = fmtInt(e.currentRound);
    versionEl.textContent = fmtInt(e.modelVersion);
    stepEl.textContent = e.step || DASH;
    failure.hidden = !(e.status === 'FAILED' && e.error);
    failure.textContent = e.error ? `Error: ${e.error}` : '';
  }

  const latest = () => state.rounds.reduce((a, b) => (a && a.round > b.round ? a : b), null);

  function renderLiveRound() {
    const r = latest();
    if (!r) {
      livePanel.replaceChildren(h('h2', {}, 'Live round'), h('p', { class: 'muted' }, 'No round has started yet.'));
      return;
    }
    livePanel.replaceChildren(h('h2', {}, `Round ${r.round}`), stateSteps(r.state),
      h('div', { class: 'status-line' }, kv('Participants', fmtInt(r.participants?.length ?? 0)), kv('Received', fmtInt(r.received)),
        kv('Rejected', fmtInt(r.rejected)), kv(r.finishedAt ? 'Duration' : 'Deadline', deadlineEl)));
    tick();
  }

  // the latest round's deadline countdown (deadline = startedAt + roundTimeoutSeconds), updated every second
  function tick() {
    const r = latest();
    if (!r) return;
    const d = duration(r);
    if (d != null) { deadlineEl.textContent = fmtClock(d); return; }
    if (!r.startedAt || !state.exp) { deadlineEl.textContent = DASH; return; }
    const left = (Date.parse(r.startedAt) + state.exp.roundTimeoutSeconds * 1000 - Date.now()) / 1000;
    deadlineEl.textContent = left > 0 ? `${fmtClock(left)} left` : 'past deadline';
  }
  const ticker = setInterval(tick, 1000);
  view.cleanups.push(() => clearInterval(ticker));

  function renderRounds() {
    const sorted = [...state.rounds].sort((a, b) => b.round - a.round);
    rounds.fill(sorted.map((r) => {
      const d = duration(r);
      return [fmtInt(r.round), r.state, fmtInt(r.participants?.length ?? 0), fmtInt(r.received), fmtInt(r.rejected),
        fmtPct(r.testAccuracy), fmtNum(r.testLoss), fmtNum(r.trainLoss),
        fmtKB(perClient(r.bytesDown, r.participants?.length)), fmtKB(perClient(r.bytesUp, r.received)),
        d == null ? DASH : fmtClock(d)];
    }), 'No rounds yet.');
  }

  function renderCharts() {
    const asc = [...state.rounds].sort((a, b) => a.round - b.round);
    accChart?.setOption(accuracyOption(asc));
    bytesChart?.setOption(bytesOption(asc, state.dense));
  }

  // the model versions (the registry's lineage), asked again when progress, status or the model version changes;
  // they also give the dense float32 model for the bytes chart: 4 bytes per parameter of version 0
  async function loadVersions() {
    const seq = ++state.versionsSeq;
    try {
      const list = await api(`${base}/versions`, { signal });
      if (seq !== state.versionsSeq) return; // a newer request is under way
      showError(versionsErr, '');
      const all = Array.isArray(list) ? list : [];
      const v0 = all.find((x) => x.version === 0);
      if (state.dense == null && v0?.numParams > 0) { state.dense = v0.numParams * 4; renderCharts(); }
      const key = JSON.stringify(all);
      if (key === state.versionsKey) return;
      state.versionsKey = key;
      renderVersions(all);
    } catch (e) { if (!isAbort(e) && seq === state.versionsSeq) showError(versionsErr, errText(e)); }
  }

  function renderVersions(list) {
    const sorted = [...list].sort((a, b) => b.version - a.version);
    versions.fill(sorted.map((v) => [
      `v${v.version}`,
      v.round == null ? DASH : fmtInt(v.round),
      v.parentVersion == null ? DASH : `v${v.version} ← v${v.parentVersion}`,
      fmtCount(v.numParams),
      fmtKB(v.sizeBytes),
      v.sha256 ? cell(h('code', {}, v.sha256.slice(0, 12)), { title: v.sha256 }) : DASH,
      testAccuracyOf(v),
      fmtTime(v.createdAt),
      h('button', { type: 'button', class: 'download secondary', onclick: (e) => download(v.version, e.currentTarget) },
        'Download'),
    ]), 'No model versions yet.');
  }

  async function download(version, button) {
    showError(versionsErr, '');
    button.disabled = true;
    try {
      const blob = await api(`${base}/versions/${encodeURIComponent(version)}/weights`, { signal, blob: true });
      saveBlob(blob, `${id}-v${version}.afdt`);
    } catch (e) {
      if (!isAbort(e)) showError(versionsErr, `Could not download v${version}: ${errText(e)}`);
    }
    button.disabled = false;
  }

  async function loadScoreMaps() {
    try {
      const maps = await api(`${base}/scoremaps`, { signal });
      showError(scoreErr, '');
      const key = JSON.stringify(maps);
      if (key === state.scoreKey) return;
      state.scoreKey = key;
      renderScoreMaps(scoreBody, Array.isArray(maps) ? maps : [], scoreCharts);
    } catch (e) { if (!isAbort(e)) showError(scoreErr, errText(e)); }
  }

  /** New data from a snapshot frame or a plain GET: render everything, fetch what depends on progress. */
  function apply(exp, roundList) {
    state.exp = exp;
    state.rounds = Array.isArray(roundList) ? roundList : [];
    renderStatus();
    renderLiveRound();
    renderRounds();
    renderCharts();
    const trigger = `${exp.roundsDone}/${exp.status}`;
    if (trigger !== state.scoreTrigger) { state.scoreTrigger = trigger; loadScoreMaps(); }
    // a version's metrics are stored when its round is evaluated: a newly tested round asks again too
    const tested = state.rounds.filter((r) => r.testAccuracy != null).length;
    const vTrigger = `${trigger}/${exp.modelVersion}/${tested}`;
    if (vTrigger !== state.versionsTrigger) { state.versionsTrigger = vTrigger; loadVersions(); }
  }

  const setLive = (on) => Object.assign(live, { textContent: on ? 'live' : 'reconnecting', className: `live ${on ? 'on' : 'off'}` });

  // The live stream; while it is down, one plain GET per retry keeps the page current.
  (async () => {
    while (!signal.aborted) {
      try {
        await openStream(`${base}/events`, signal, () => { setLive(true); showError(loadErr, ''); }, (name, data) => {
          if (name !== 'snapshot') return;
          const snap = JSON.parse(data);
          if (snap?.experiment) apply(snap.experiment, snap.rounds);
        });
      } catch (e) {
        if (signal.aborted || e.status === 401) return;
      }
      setLive(false);
      try {
        const [exp, list] = await Promise.all([api(base, { signal }), api(`${base}/rounds`, { signal })]);
        apply(exp, list);
      } catch (e) {
        if (signal.aborted) return;
        showError(loadErr, errText(e));
        if (e.status === 404 || e.status === 403) { live.textContent = 'offline'; return; }
      }
      try { await sleep(2000, signal); } catch { return; }
    }
  })();
}

/** A version's test accuracy from its metrics JSON text, formatted (— when absent or unreadable). */
function testAccuracyOf(v) {
  let acc = null;
  try { acc = v?.metrics ? JSON.parse(v.metrics)?.testAccuracy : null; } catch { /* not JSON */ }
  return typeof acc === 'number' && Number.isFinite(acc) ? fmtPct(acc) : DASH;
}

/** Start/pause/resume/stop buttons for operators and admins (null for viewers). */
function actionButtons(base, signal, onView, fallbackSlot) {
  if (!canOperate()) return null;
  const err = errorSlot('actions-error');
  const buttons = ['start', 'pause', 'resume', 'stop'].map((a) => h('button', {
    type: 'button', id: `action-${a}`, class: a === 'stop' ? 'danger' : 'secondary', onclick: () => act(a),
  }, a.charAt(0).toUpperCase() + a.slice(1)));
  async function act(action) {
    showError(err, '');
    showError(fallbackSlot, '');
    buttons.forEach((b) => { b.disabled = true; });
    try { onView(await api(`${base}/${action}`, { method: 'POST', signal })); } catch (e) { if (!isAbort(e)) showError(err, errText(e)); }
    buttons.forEach((b) => { b.disabled = false; });
  }
  if (flash) { showError(err, flash); flash = null; }
  return h('div', { class: 'card actions' }, buttons, err);
}

/** The round's state machine as steps, the current one highlighted. */
function stateSteps(current) {
  const idx = ROUND_STATES.indexOf(current);
  const failed = current === 'FAILED'; // where it failed is unknown: no step is marked done
  const cls = (s, i) => (i === idx ? `current${failed ? ' failed' : ''}` : !failed && i < idx ? 'done' : s === 'FAILED' ? 'spare' : '');
  return h('ol', { class: 'steps', 'aria-label': 'Round state' },
    ROUND_STATES.map((s, i) => h('li', { class: cls(s, i), 'aria-current': i === idx ? 'step' : null }, s)));
}

// ---------------------------------------------------------------- server-sent events over fetch

/**
 * GETs a text/event-stream with the bearer token (EventSource cannot send it) and calls onFrame(event, data)
 * for each frame until the stream ends. Throws ApiError when the answer is not 2xx.
 */
async function openStream(path, signal, onOpen, onFrame) {
  const res = await fetch(path, { headers: { ...authHeaders(), Accept: 'text/event-stream' }, cache: 'no-store', signal });
  if (!res.ok || !res.body) {
    const err = await readError(res);
    if (res.status === 401) sessionEnded();
    if (res.status === 503 && err.error === 'database_unavailable') setNotice(DB_DOWN);
    throw err;
  }
  onOpen();
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buf = '', event = '', data = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buf += decoder.decode(value, { stream: true });
    // a lone CR at the end may be the first half of CRLF: keep it for the next chunk
    const lines = buf.split(/\r\n|\n|\r(?=[\s\S])/);
    buf = lines.pop();
    for (const line of lines) {
      if (line === '') { // a blank line ends the frame
        if (data.length) try { onFrame(event || 'message', data.join('\n')); } catch (e) { console.warn('bad frame', e); }
        [event, data] = ['', []];
        continue;
      }
      if (line.startsWith(':')) continue; // comment / keep-alive
      const i = line.indexOf(':');
      const name = i < 0 ? line : line.slice(0, i);
      let val = i < 0 ? '' : line.slice(i + 1);
      if (val.startsWith(' ')) val = val.slice(1);
      if (name === 'event') event = val;
      else if (name === 'data') data.push(val);
    }
  }
}

// ---------------------------------------------------------------- chart options

const baseGrid = { left: 12, right: 12, top: 48, bottom: 28, containLabel: true };

function accuracyOption(rounds) {
  const tested = rounds.filter((r) => r.testAccuracy != null);
  return {
    animation: false, legend: { top: 0 }, grid: baseGrid,
    tooltip: { trigger: 'axis', valueFormatter: (v) => (v == null ? DASH : Number(v).toFixed(3)) },
    xAxis: { type: 'value', name: 'round', minInterval: 1, nameGap: 8 },
    yAxis: [
      { type: 'value', name: 'accuracy %', min: 0, max: 100 },
      { type: 'value', name: 'loss', scale: true, splitLine: { show: false } },
    ],
    series: [
      { id: 'acc', name: 'test accuracy (%)', type: 'line', yAxisIndex: 0, data: tested.map((r) => [r.round, r.testAccuracy * 100]) },
      { id: 'tloss', name: 'test loss', type: 'line', yAxisIndex: 1, data: tested.filter((r) => r.testLoss != null).map((r) => [r.round, r.testLoss]) },
      { id: 'trloss', name: 'train loss', type: 'line', yAxisIndex: 1, lineStyle: { type: 'dashed' },
        data: rounds.filter((r) => r.trainLoss != null).map((r) => [r.round, r.trainLoss]) },
    ],
  };
}

function bytesOption(rounds, denseBytes) {
  const kb = (bytes, n) => { const v = perClient(bytes, n); return v > 0 ? v / KB : '-'; };
  const down = rounds.map((r) => kb(r.bytesDown, r.participants?.length));
  const up = rounds.map((r) => kb(r.bytesUp, r.received));
  const denseKB = denseBytes > 0 ? denseBytes / KB : null;
  // ECharts does not stretch an axis to its markLines: set the log axis to whole decades around everything shown
  const values = [...down, ...up, denseKB].filter((v) => typeof v === 'number' && v > 0);
  const yAxis = { type: 'log', name: 'KB per client' };
  if (values.length) {
    yAxis.min = 10 ** Math.floor(Math.log10(values.reduce((a, b) => Math.min(a, b))));
    yAxis.max = 10 ** Math.ceil(Math.log10(values.reduce((a, b) => Math.max(a, b)) * 1.0001));
  }
  return {
    animation: false, legend: { top: 0 }, grid: baseGrid,
    tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? `${v.toFixed(1)} KB` : DASH) },
    xAxis: { type: 'category', name: 'round', nameGap: 8, data: rounds.map((r) => String(r.round)) },
    yAxis,
    series: [
      { id: 'down', name: 'down per client', type: 'bar', data: down,
        markLine: { symbol: 'none', silent: true, lineStyle: { type: 'dashed', color: '#b45309' },
          label: { formatter: 'dense float32', position: 'insideEndTop', color: '#b45309' },
          data: denseKB ? [{ yAxis: denseKB, name: 'dense float32' }] : [] } },
      { id: 'up', name: 'up per client', type: 'bar', data: up },
    ],
  };
}

// ---------------------------------------------------------------- score maps

/** Parses "conv1:0-3,7,9;dense1:0-127" into Map(layer -> Set of unit indices). */
function parseCanonical(text) {
  const out = new Map();
  for (const part of String(text || '').split(';')) {
    const colon = part.lastIndexOf(':');
    if (colon <= 0) continue;
    const units = new Set();
    for (const item of part.slice(colon + 1).split(',')) {
      const m = item.trim().match(/^(\d+)(?:-(\d+))?$/);
      if (!m) continue;
      const from = Number(m[1]), to = m[2] === undefined ? from : Number(m[2]);
      for (let u = from; u <= Math.min(to, from + 1e6); u++) units.add(u);
    }
    out.set(part.slice(0, colon).trim(), units);
  }
  return out;
}

/** Jaccard overlap of two sets (1 when both are empty). */
function jaccard(a, b) {
  if (!a.size && !b.size) return 1;
  let both = 0;
  for (const x of a) if (b.has(x)) both++;
  return both / (a.size + b.size - both);
}

/** One card per score map (a heatmap per layer, with the kept units), then the maps' overlap matrix. */
function renderScoreMaps(container, maps, charts) {
  disposeCharts(charts);
  if (!maps.length) return container.replaceChildren(h('p', { class: 'muted' }, 'This policy keeps no score maps'));
  const pending = []; // [div, option]: charts start once their divs are in the page
  const kept = maps.map((m) => parseCanonical(m.current?.canonical));
  const cards = maps.map((m, i) => {
    const card = h('div', { class: 'scoremap' }, h('h3', {}, m.key),
      h('p', { class: 'muted' }, `selection ${m.current?.id ?? DASH} · updated in round ${m.updatedRound ?? DASH}`),
      m.current?.canonical ? h('p', { class: 'canonical' }, 'keeps ', h('code', {}, m.current.canonical)) : null);
    for (const [layer, raw] of Object.entries(m.scores || {})) {
      const scores = Array.isArray(raw) ? raw : [];
      const div = h('div', { class: 'heatmap' });
      const units = kept[i].get(layer) || new Set();
      card.append(h('h4', {}, `${layer} (${units.size} of ${scores.length} units kept)`), div);
      pending.push([div, heatmapOption(layer, scores, units)]);
    }
    return card;
  });
  if (maps.length > 1) {
    const div = h('div', { class: 'heatmap overlap' });
    div.style.height = `${Math.max(220, 44 * maps.length + 110)}px`;
    cards.push(h('div', { class: 'scoremap' }, h('h3', {}, 'Overlap of the kept units (Jaccard)'), div));
    const sets = kept.map((k) => new Set([...k].flatMap(([layer, units]) => [...units].map((u) => `${layer}:${u}`))));
    pending.push([div, overlapOption(maps.map((m) => m.key), sets)]);
  }
  container.replaceChildren(...cards);
  for (const [div, option] of pending) {
    const c = chart(div);
    if (c) { c.setOption(option); charts.push(c); }
  }
}

/** One layer's scores as a heatmap row, with a "kept" row (1/0) for the current selection below it. */
function heatmapOption(layer, scores, kept) {
  const finite = scores.filter((v) => Number.isFinite(v));
  const min = finite.length ? finite.reduce((a, b) => Math.min(a, b)) : 0;
  let max = finite.length ? finite.reduce((a, b) => Math.max(a, b)) : 1;
  if (max <= min) max = min + 1e-9;
  return {
    animation: false, tooltip: { position: 'top', formatter: (p) => (p.seriesIndex === 0
      ? `${esc(layer)} unit ${p.value[0]}: ${fmtScore(p.value[2])}`
      : `unit ${p.value[0]}: ${p.value[2] ? 'kept' : 'dropped'}`) },
    grid: { left: 8, right: 8, top: 6, bottom: 56, containLabel: true },
    xAxis: { type: 'category', data: scores.map((_, i) => String(i)), splitArea: { show: false } },
    yAxis: { type: 'category', data: ['kept', layer] }, // first entry is drawn at the bottom
    visualMap: [
      { type: 'continuous', seriesIndex: 0, min, max, orient: 'horizontal', left: 'center', bottom: 0,
        itemHeight: 140, itemWidth: 12, text: [fmtScore(max), fmtScore(min)], inRange: { color: ['#eff6ff', '#60a5fa', '#1e3a8a'] } },
      { type: 'piecewise', seriesIndex: 1, show: false, pieces: [{ value: 0, color: '#e5e7eb' }, { value: 1, color: '#15803d' }] },
    ],
    series: [
      { name: layer, type: 'heatmap', data: scores.map((v, i) => [i, 1, Number.isFinite(v) ? v : '-']) },
      { name: 'kept', type: 'heatmap', data: scores.map((_, i) => [i, 0, kept.has(i) ? 1 : 0]) },
    ],
  };
}

function overlapOption(keys, sets) {
  const data = [];
  keys.forEach((_, i) => keys.forEach((__, j) => data.push([i, j, jaccard(sets[i], sets[j])])));
  return {
    animation: false, tooltip: { formatter: (p) => `${esc(keys[p.value[0]])} / ${esc(keys[p.value[1]])}: ${p.value[2].toFixed(2)}` },
    grid: { left: 8, right: 8, top: 8, bottom: 56, containLabel: true },
    xAxis: { type: 'category', data: keys, axisLabel: { rotate: 30 } },
    yAxis: { type: 'category', data: keys },
    visualMap: { min: 0, max: 1, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 140, itemWidth: 12,
      inRange: { color: ['#f8fafc', '#93c5fd', '#1d4ed8'] } },
    series: [{ type: 'heatmap', data, label: { show: true, formatter: (p) => p.value[2].toFixed(2) } }],
  };
}

// ---------------------------------------------------------------- clients

const REJECTIONS_LIMIT = 200;

function clientsView(main) {
  const err = errorSlot('clients-error');
  const counts = h('p', { class: 'counts', id: 'client-counts' });
  const t = table('clients', ['id', 'samples', 'available', 'registered', 'last seen', 'rejections']);
  /** The last answers: clients, and rejections (null until loaded) whose per-client counts the clients table shows. */
  const state = { clients: null, rejections: null, filter: { clientId: '', reason: '' } };

  const rejErr = errorSlot('rejections-error');
  const rejCounts = h('p', { class: 'reason-counts', id: 'rej-counts' });
  const rejNote = h('p', { class: 'muted', hidden: true });
  const rt = table('rejections-table', ['when', 'client', 'experiment', 'round', 'reason', 'detail', 'where']);
  rt.fill([], 'Loading…');
  const clientIn = h('input', { id: 'rej-client', type: 'text', autocomplete: 'off', spellcheck: false, placeholder: 'any client' });
  const reasonIn = h('input', { id: 'rej-reason', type: 'text', autocomplete: 'off', spellcheck: false, placeholder: 'e.g. bad_signature' });
  const filterForm = h('form', { class: 'filters', role: 'search' },
    h('div', { class: 'field' }, h('label', { for: 'rej-client' }, 'Client'), clientIn),
    h('div', { class: 'field' }, h('label', { for: 'rej-reason' }, 'Reason'), reasonIn),
    h('button', { type: 'submit', id: 'rej-filter', class: 'secondary' }, 'Filter'));

  main.append(h('div', { class: 'view-head' }, h('h1', {}, 'Clients')), counts, err, t.wrap,
    h('section', { id: 'rejections', class: 'card' }, h('h2', {}, 'Rejected updates'), filterForm, rejCounts, rejNote, rejErr, rt.wrap));

  function renderClients() {
    const list = state.clients;
    if (!list) return;
    const byClient = new Map();
    for (const r of state.rejections || []) if (r.clientId != null) byClient.set(r.clientId, (byClient.get(r.clientId) || 0) + 1);
    const available = list.filter((c) => c.available).length;
    counts.replaceChildren(h('span', {}, `Registered: ${list.length}`), h('span', {}, `Available: ${available}`));
    t.fill(list.map((c) => [c.id, fmtInt(c.numSamples), h('span', { class: c.available ? 'yes' : 'no' }, c.available ? 'yes' : 'no'),
      fmtTime(c.registeredAt), timeAgo(c.lastSeen), state.rejections ? fmtInt(byClient.get(c.id) || 0) : DASH,
    ]), 'No clients registered yet.');
  }

  function renderRejections() {
    const list = state.rejections;
    if (!list) { rejCounts.replaceChildren(); rejNote.hidden = true; rt.fill([], 'Loading…'); return; }
    const byReason = new Map();
    for (const r of list) byReason.set(r.reason, (byReason.get(r.reason) || 0) + 1);
    const parts = [...byReason].sort(([a], [b]) => String(a).localeCompare(String(b)))
      .flatMap(([reason, n], i) => [i ? ' · ' : null, reasonBadge(reason), ` ${n}`]);
    rejCounts.replaceChildren(...parts.filter((x) => x != null));
    Object.assign(rejNote, { hidden: list.length < REJECTIONS_LIMIT, textContent: `Showing the latest ${REJECTIONS_LIMIT}.` });
    const filtered = state.filter.clientId || state.filter.reason;
    rt.fill(list.map((r) => [
      timeAgo(r.rejectedAt),
      r.clientId ?? DASH,
      r.experimentId ? h('a', { href: `#/experiments/${encodeURIComponent(r.experimentId)}` }, r.experimentId) : DASH,
      fmtInt(r.round),
      reasonBadge(r.reason),
      r.detail ? cell(h('span', { class: 'truncate' }, r.detail), { title: r.detail, class: 'detail' }) : DASH,
      where(r),
    ]), filtered ? 'No rejected updates match the filter.' : 'No rejected updates.');
  }

  poll(async (signal) => {
    const list = await api('/api/clients', { signal });
    showError(err, '');
    state.clients = Array.isArray(list) ? list : [];
    renderClients();
  }, 5000, err);

  const refreshRejections = poll(async (signal) => {
    const filter = state.filter;
    const params = new URLSearchParams({ limit: String(REJECTIONS_LIMIT) });
    if (filter.clientId) params.set('clientId', filter.clientId);
    if (filter.reason) params.set('reason', filter.reason);
    const list = await api(`/api/rejections?${params}`, { signal });
    if (filter !== state.filter) return; // the filter changed meanwhile: the next run asks again
    showError(rejErr, '');
    state.rejections = Array.isArray(list) ? list : [];
    renderRejections();
    renderClients();
  }, 5000, rejErr);

  filterForm.addEventListener('submit', (e) => {
    e.preventDefault();
    state.filter = { clientId: clientIn.value.trim(), reason: reasonIn.value.trim() };
    state.rejections = null;
    showError(rejErr, '');
    renderRejections();
    renderClients();
    refreshRejections();
  });
}

const reasonBadge = (reason) => h('span', { class: 'badge badge-reason' }, reason || DASH);

/** Where a rejected record came from: "topic-partition@offset" (— when not from Kafka). */
function where(r) {
  if (r.topic == null) return DASH;
  return `${r.topic}${r.partition == null ? '' : `-${r.partition}`}${r.offset == null ? '' : `@${r.offset}`}`;
}

// ---------------------------------------------------------------- start

function boot() {
  $('signin-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const token = $('token').value.trim().replace(/^Bearer\s+/i, '');
    if (!token) { showError($('signin-error'), 'Paste a bearer token first'); return; }
    signIn(token);
  });
  $('signout').addEventListener('click', signOut);
  window.addEventListener('hashchange', route);
  window.addEventListener('resize', () => view?.charts.forEach((c) => c.resize()));
  showSignIn('');
  const stored = sessionStorage.getItem(TOKEN_KEY);
  if (stored) signIn(stored);
}

boot();
