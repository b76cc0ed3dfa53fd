// Job page: live stage progress (GET the job, then follow its SSE stream), cancel, rerun of stale or failed stages, links to
// the results.
import { el, api, announce, problemText, clear, param, isJobId, followJob, formatMs, formatCost, formatTime, formatTimeLeft, progressBar, TERMINAL, STAGE_NAMES } from './common.js';

const id = param('id');
const title = document.getElementById('job-title');
const summary = document.getElementById('job-summary');
const list = document.getElementById('stages');
const links = document.getElementById('job-links');
const totals = document.getElementById('totals');
const cancel = document.getElementById('cancel');
const rerun = document.getElementById('rerun');
const eta = document.getElementById('job-eta');
const lastStatus = new Map();

export function renderStage(stage) {
  const badges = [el('span', { class: `badge ${stage.status}`, text: stage.status })];
  if (stage.cached) badges.push(el('span', { class: 'badge', text: 'cached' }));
  if (stage.stale) badges.push(el('span', { class: 'badge stale', text: 'stale' }));
  const calls = (stage.attempts ?? []).filter((a) => !a.cacheHit && a.route !== 'shadow');
  const retries = calls.reduce((n, a) => n + (a.retries ?? 0) + (a.reask ? 1 : 0), 0);
  const fallback = stage.route === 'fallback' || stage.status === 'fallback' || calls.some((a) => a.fallback || a.route === 'fallback');
  if (fallback) badges.push(el('span', { class: 'badge fallback', text: 'fallback' }));
  const facts = [
    ['Model', stage.model ?? '—'],
    ['Route', stage.route ?? '—'],
    ['Time', formatMs(stage.durationMs)],
    ['Cost', formatCost(stage.cost)],
    ['Quality', stage.qualityScore ?? '—'],
    ['Tokens', `${stage.tokensIn ?? 0} in / ${stage.tokensOut ?? 0} out`],
    ['Retries', String(retries)],
    ['Attempts', String(calls.length)],
  ];
  const served = [...new Set(calls.map((a) => a.provider).filter(Boolean))];
  if (served.length) facts.push(['Served by', served.join(', ')]);
  return el('li', { class: 'stage', 'data-stage': stage.stage, 'data-status': stage.status },
    el('h3', {}, `${stage.stage}. ${stage.name ? humanName(stage) : STAGE_NAMES[stage.stage] ?? ''}`, ...badges),
    el('dl', {}, facts.map(([k, v]) => el('div', {}, el('dt', { text: k }), el('dd', { text: v })))),
    stage.progress ? progressBar(stage.progress) : null,
    stage.error ? el('p', { class: 'stage-error', text: stage.error }) : null);
}

function humanName(stage) {
  return STAGE_NAMES[stage.stage] ?? stage.name;
}

function render(job, problem) {
  if (!job) {
    announce(problemText(problem), { error: true });
    return;
  }
  title.textContent = `${job.kind === 'offer' ? 'Offer' : job.kind === 'full' ? 'Research and offer' : 'Research'} job`;
  summary.textContent = `Status: ${job.status} · created ${formatTime(job.createdAt)}${job.finishedAt ? ` · finished ${formatTime(job.finishedAt)}` : ''}${job.error ? ` · ${job.error}` : ''}`;
  clear(list).append(...job.stages.map(renderStage));
  for (const stage of job.stages) {
    const before = lastStatus.get(stage.stage);
    if (before !== undefined && before !== stage.status) announce(`Stage ${stage.stage} ${humanName(stage)}: ${stage.status}.`);
    lastStatus.set(stage.stage, stage.status);
  }
  showEta(TERMINAL.has(job.status) ? null : job.estimate?.secondsLeft);
  const t = job.totals ?? {};
  totals.textContent = `Totals: ${t.tokensIn ?? 0} tokens in, ${t.tokensOut ?? 0} out, ${formatCost(t.cost)}, ${t.modelCalls ?? 0} model calls, ${t.cachedStages ?? 0} cached stages.`;
  cancel.hidden = TERMINAL.has(job.status);
  // The api re-runs research and full jobs only, once they have finished: stale stages, and after a failure the failed
  // and skipped ones too.
  const stale = job.stages.some((s) => s.stale);
  rerun.hidden = !(job.kind !== 'offer' && (job.status === 'failed' || (job.status === 'succeeded' && stale)));
  rerun.textContent = job.status === 'failed' ? 'Retry failed stages' : 'Rerun stale stages';
  renderLinks(job);
  if (TERMINAL.has(job.status)) announce(`Job ${job.status}.`);
}

function showEta(secondsLeft) {
  const text = formatTimeLeft(secondsLeft);
  eta.hidden = !text;
  eta.textContent = text ? `Estimated time: ${text}.` : '';
}

/** A live progress event: redraw that stage's bar in place and the estimate, without reloading the job. */
function onProgress(event) {
  const item = list.querySelector(`li[data-stage="${Number(event.stage)}"]`);
  if (!item || TERMINAL.has(item.dataset.status) || item.dataset.status === 'succeeded') return;
  const bar = progressBar(event);
  const old = item.querySelector('.stage-progress');
  if (old) old.replaceWith(bar);
  else item.querySelector('dl')?.after(bar);
  showEta(event.secondsLeft);
}

function renderLinks(job) {
  const done = (n) => job.stages.some((s) => s.stage === n && s.status === 'succeeded');
  const items = [];
  const writing = job.stages.some((s) => s.stage === 6 && s.progress && !TERMINAL.has(s.status) && s.status !== 'succeeded');
  if (done(6)) items.push(['Read the report', `/report.html?id=${job.id}`]);
  else if (writing) items.push(['Watch the report being written', `/report.html?id=${job.id}`]);
  const research = [1, 2, 3, 4, 5].every(done);
  if (job.kind !== 'offer' && research && TERMINAL.has(job.status)) items.push(['Edit research findings', `/edit.html?id=${job.id}`]);
  if (job.kind === 'research' && research) items.push(['Design the strategic offer', `/offer.html?research=${job.id}`]);
  if (job.kind !== 'research' && job.stages.some((s) => s.stage >= 7)) {
    items.push(['View the offer', `/offer.html?job=${job.id}${job.researchJobId ? `&research=${job.researchJobId}` : ''}`]);
  }
  if (job.researchJobId) items.push(['Research job', `/job.html?id=${job.researchJobId}`]);
  items.push(['Result as JSON', `/api/jobs/${job.id}/report?format=json`]);
  clear(links).append(...items.map(([text, href]) => el('a', { class: 'button secondary', href, text })));
}

cancel.addEventListener('click', async () => {
  cancel.disabled = true;
  const result = await api(`/api/jobs/${id}/cancel`, { method: 'POST' });
  cancel.disabled = false;
  if (result.ok) {
    announce('Cancellation requested.');
    follower.refresh();
  } else {
    announce(problemText(result.problem), { error: true });
  }
});

rerun.addEventListener('click', async () => {
  rerun.disabled = true;
  const retry = rerun.textContent.startsWith('Retry');
  const result = await api(`/api/jobs/${id}/rerun`, { method: 'POST' });
  rerun.disabled = false;
  if (result.ok) {
    announce(retry ? 'The failed stages are queued again.' : 'The stale stages are queued again.');
    render(result.data);
    // Following stopped when the job finished; the re-run is a new stretch of live progress.
    follower = followJob(id, render, onProgress);
  } else {
    announce(problemText(result.problem), { error: true });
  }
});

let follower = { refresh() {} };
if (!isJobId(id)) {
  announce('This page needs a job id (job.html?id=…).', { error: true });
} else {
  follower = followJob(id, render, onProgress);
}
