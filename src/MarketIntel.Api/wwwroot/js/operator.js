// Operator console: the stage × model routing matrix, the routing history and one-click rollback. The admin key is
// kept in sessionStorage (this tab only) and sent as X-Api-Key.
import { el, api, announce, problemText, clear, formatTime, STAGE_NAMES } from './common.js';

const KEY = 'marketintel.adminKey';
const keyForm = document.getElementById('key-form');
const keyInput = document.getElementById('api-key');
const keyError = document.getElementById('api-key-error');
const forget = document.getElementById('forget-key');
const section = document.getElementById('routing');
const matrix = document.getElementById('matrix');
const historyList = document.getElementById('history');

const admin = (path, options = {}) => api(path, { ...options, headers: { 'X-Api-Key': sessionStorage.getItem(KEY) ?? '' } });

function keyProblem(message) {
  keyError.textContent = message ?? '';
  keyError.hidden = !message;
  if (message) keyInput.setAttribute('aria-invalid', 'true'); else keyInput.removeAttribute('aria-invalid');
}

async function load({ announceLoaded = true } = {}) {
  const [routing, models, history] = await Promise.all([admin('/api/routing'), api('/api/models'), admin('/api/routing/history')]);
  if (!routing.ok) {
    section.hidden = true;
    if (routing.status === 401) {
      // No key and a key of no operator both answer 401; the page knows which of the two it sent.
      const sent = sessionStorage.getItem(KEY);
      sessionStorage.removeItem(KEY);
      forget.hidden = true;
      keyProblem(sent ? 'This key is not valid.' : 'An admin API key is required.');
      keyInput.focus();
    } else {
      announce(routing.status === 404 ? 'This server has no routing API.' : problemText(routing.problem), { error: true });
    }
    return;
  }
  keyProblem(null);
  forget.hidden = false;
  section.hidden = false;
  renderMatrix(routing.data, models.ok ? models.data : []);
  renderHistory(history.ok ? history.data : [], routing.data.version);
  if (announceLoaded) announce(`Routing version ${routing.data.version} loaded.`);
}

function renderMatrix(routing, catalogue) {
  document.getElementById('routing-version').textContent = `(version ${routing.version})`;
  const stages = Object.entries(routing.stages ?? {}).sort(([a], [b]) => Number(a) - Number(b));
  const ids = catalogue.map((m) => m.id);
  for (const [, r] of stages) for (const id of [r.stable, r.candidate, r.shadow]) if (id && !ids.includes(id)) ids.push(id);
  const nameOf = (id) => catalogue.find((m) => m.id === id)?.displayName || id;
  clear(matrix.tHead).append(el('tr', {}, el('th', { scope: 'col', text: 'Stage' }),
    ids.map((id) => el('th', { scope: 'col', title: id, text: nameOf(id) })),
    el('th', { scope: 'col', text: 'Settings' })));
  clear(matrix.tBodies[0]).append(...stages.map(([n, r]) => el('tr', { 'data-stage': n },
    el('th', { scope: 'row' }, `${n}. ${STAGE_NAMES[n] ?? ''}`, r.protected ? el('span', { class: 'badge', title: 'Protected: changes need approval and a reason', text: '🔒 protected' }) : null),
    ids.map((id) => {
      const marks = [];
      if (r.stable === id) marks.push(el('span', { class: 'badge succeeded', text: 'S stable' }));
      if (r.candidate === id) marks.push(el('span', { class: 'badge running', text: `C ${r.candidateShare ?? 0}%` }));
      if (r.shadow === id) marks.push(el('span', { class: 'badge skipped', text: 'Sh shadow' }));
      return el('td', { 'data-model': id }, marks);
    }),
    el('td', { class: 'muted', text: `max ${r.maxTokens ?? 'default'} tok · t=${r.temperature ?? '—'} · ${r.timeoutSeconds ?? '—'} s` }))));
}

function renderHistory(entries, active) {
  clear(historyList);
  const sorted = [...(entries ?? [])].sort((a, b) => b.version - a.version);
  for (const change of sorted) {
    const isActive = change.version === active;
    historyList.append(el('li', { 'data-version': change.version },
      el('strong', { text: `Version ${change.version}` }), isActive ? el('span', { class: 'badge succeeded', text: 'active' }) : null,
      ` · ${change.kind} by ${change.actor} · ${formatTime(change.at)}${change.approved ? ' · approved' : ''}`,
      el('p', { text: change.reason }),
      change.diff?.length ? el('ul', { class: 'diff' }, change.diff.map((d) =>
        el('li', { text: `stage ${d.stage} ${d.field}: ${d.before ?? '—'} → ${d.after ?? '—'}` }))) : null,
      isActive ? null : el('button', { type: 'button', class: 'secondary small', text: `Roll back to version ${change.version}`,
        onclick: () => rollback(change.version) })));
  }
}

async function rollback(version) {
  const reason = window.prompt(`Why roll back to routing version ${version}?`);
  if (reason === null) return;
  if (!reason.trim()) {
    announce('A rollback needs a reason.', { error: true });
    return;
  }
  let result = await admin('/api/routing/rollback', { method: 'POST', body: { version, reason } });
  // A rollback that changes a protected stage needs an explicit approval (409 until it has one).
  if (result.status === 409 && result.problem?.title === 'The stage is protected.'
      && window.confirm(`${result.problem.detail}\n\nApprove this rollback of a protected stage, with the reason given?`)) {
    result = await admin('/api/routing/rollback', { method: 'POST', body: { version, reason, approved: true } });
  }
  if (!result.ok) {
    announce(problemText(result.problem) + Object.values(result.problem?.errors ?? {}).flat().map((m) => `\n${m}`).join(''), { error: true });
    return;
  }
  // Reload first, so the rollback message is the one the status region keeps.
  await load({ announceLoaded: false });
  announce(`Rolled back: version ${result.data.version} is active (restores version ${version}).`);
}

keyForm.addEventListener('submit', (event) => {
  event.preventDefault();
  if (!keyInput.value.trim()) {
    keyProblem('Enter the admin API key.');
    keyInput.focus();
    return;
  }
  sessionStorage.setItem(KEY, keyInput.value.trim());
  keyInput.value = '';
  load();
});
forget.addEventListener('click', () => {
  sessionStorage.removeItem(KEY);
  section.hidden = true;
  forget.hidden = true;
  announce('The key is forgotten.');
});

if (sessionStorage.getItem(KEY)) load();
