// Shared helpers of the MarketIntel pages. Model output is only ever inserted as text (textContent / text nodes):
// nothing here builds HTML from strings.

/** Creates an element; attrs: properties/attributes (on* handlers as functions); children: nodes or text. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = String(value);
    else if (key in node && typeof value !== 'string') node[key] = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(node) {
  node.replaceChildren();
  return node;
}

export function param(name) {
  return new URLSearchParams(location.search).get(name);
}

/** Job ids are 32 lowercase hex digits; anything else is not sent to the server. */
export function isJobId(id) {
  return typeof id === 'string' && /^[0-9a-f]{32}$/.test(id);
}

/**
 * fetch wrapper: {ok, status, data, problem, location}. problem = RFC 7807 body (with errors keyed by field path) or a
 * synthetic one on network failure.
 */
export async function api(path, { method = 'GET', body, headers = {} } = {}) {
  const init = { method, headers: { Accept: 'application/json', ...headers } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    return { ok: false, status: 0, problem: { title: 'The server cannot be reached.', detail: String(error) } };
  }
  const type = response.headers.get('Content-Type') ?? '';
  let data = null;
  if (type.includes('json')) {
    try { data = await response.json(); } catch { data = null; }
  } else {
    data = await response.text();
  }
  const result = { ok: response.ok, status: response.status, location: response.headers.get('Location') };
  if (response.ok) result.data = data;
  else result.problem = data && typeof data === 'object' ? data : { title: `HTTP ${response.status}`, detail: String(data ?? '') };
  return result;
}

export function problemText(problem) {
  if (!problem) return 'Unknown error.';
  return [problem.title, problem.detail].filter(Boolean).join(' ');
}

/** Shows a message in the page's status region (role=status or role=alert). */
export function announce(message, { error = false } = {}) {
  const region = document.getElementById(error ? 'page-alert' : 'page-status');
  if (!region) return;
  region.textContent = '';
  // A fresh text node makes screen readers announce a repeated message again.
  requestAnimationFrame(() => { region.textContent = message; });
  if (error) region.hidden = !message;
}

export function formatMs(ms) {
  if (ms === null || ms === undefined) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function formatCost(cost) {
  if (cost === null || cost === undefined) return '—';
  return `$${Number(cost).toFixed(4)}`;
}

export function formatMoney(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return String(value ?? '—');
  return `$${value.toLocaleString('en-US', { maximumFractionDigits: 2 })}`;
}

export function formatTime(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toLocaleString();
}

export const STAGE_NAMES = {
  1: 'Market analysis', 2: 'Buyer psychology', 3: 'Competitive analysis', 4: 'Avatar creation', 5: 'Offer design',
  6: 'Report synthesis', 7: 'Offer rationale', 8: 'Value stack', 9: 'Pricing framework', 10: 'Payment plans',
  11: 'Premium bonuses', 12: 'Power guarantee', 13: 'Scarcity & upsells',
};

export const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

/** Turns snake_case or camelCase keys into readable labels: "top_fears" → "Top fears". */
export function humanize(key) {
  const text = String(key).replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The server's suggested SSE retry delay, used when the page has to reopen a stream itself. */
const RECONNECT_MS = 2000;

/**
 * Follows a job: GET the job now, then again on every SSE event. Calls onJob(job) for each fresh view; stops when the
 * job is terminal. The browser reconnects a dropped stream by itself (sending Last-Event-ID), but closes it for good
 * after an HTTP error such as a 503 during a Redis outage; then a new stream resumes after the last event seen.
 * onProgress(event), if given, gets each live progress event ({stage, tokensOut, maxTokens, percent, secondsLeft}).
 */
export function followJob(id, onJob, onProgress = null) {
  let source = null;
  let lastEventId = null;
  let busy = false;
  let again = false;
  let stopped = false;
  const refresh = async () => {
    // Events arrive in bursts: one GET at a time, and one more after it if anything arrived meanwhile.
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      do {
        again = false;
        const result = await api(`/api/jobs/${id}`);
        if (result.ok) {
          onJob(result.data);
          if (TERMINAL.has(result.data.status)) stop();
        } else if (result.status === 404) {
          onJob(null, result.problem);
          stop();
        }
      } while (again && !stopped);
    } finally {
      busy = false;
    }
  };
  const stop = () => {
    stopped = true;
    source?.close();
    source = null;
  };
  const connect = () => {
    if (stopped) return;
    const resume = lastEventId ? `?lastEventId=${encodeURIComponent(lastEventId)}` : '';
    const stream = new EventSource(`/api/jobs/${id}/events${resume}`);
    source = stream;
    const handler = (event) => {
      if (event.lastEventId) lastEventId = event.lastEventId;
      refresh();
    };
    stream.addEventListener('stage', handler);
    stream.addEventListener('job', handler);
    // Progress events have no id (a live view, not history) and change no state: no GET for them.
    if (onProgress) {
      stream.addEventListener('progress', (event) => {
        try { onProgress(JSON.parse(event.data)); } catch { /* a malformed event is skipped */ }
      });
    }
    stream.addEventListener('error', () => {
      if (stopped || source !== stream) return;
      // Whatever happened while disconnected is in the job's state.
      refresh();
      if (stream.readyState === EventSource.CLOSED) setTimeout(connect, RECONNECT_MS);
    });
  };
  refresh().then(connect);
  return { stop, refresh };
}

/** "about 4 min left" from seconds; null when there is no estimate. */
export function formatTimeLeft(seconds) {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return null;
  if (seconds < 60) return 'less than a minute left';
  const minutes = Math.round(seconds / 60);
  return `about ${minutes} min left`;
}

/** A stage's streaming progress: a bar and "1,234 of 4,000 tokens". */
export function progressBar(progress) {
  const label = `${Number(progress.tokensOut).toLocaleString('en-US')} of ${Number(progress.maxTokens).toLocaleString('en-US')} tokens`;
  return el('div', { class: 'progress stage-progress' },
    el('progress', { max: 100, value: progress.percent, 'aria-label': `Written so far: ${label}` }),
    el('span', { class: 'muted', text: label }));
}

/**
 * When the workers answer from the model emulator, every page says so: its answers are simulated, not a real model's.
 */
async function showServing() {
  const header = document.querySelector('header.site');
  if (!header) return;
  const result = await api('/api/models/serving');
  if (!result.ok || !result.data?.emulated) return;
  header.after(el('p', { class: 'banner', role: 'note', id: 'emulator-banner',
    text: 'Running on the model emulator: no real model answers here, so the texts and figures are simulated.' }));
}

showServing();
