// Report page: the server's sanitised HTML, table of contents included, in a sandboxed iframe (no scripts, no forms,
// opaque origin); copy as Markdown and downloads. Neither Markdown nor the report's HTML is ever parsed here.
import { el, api, announce, problemText, param, isJobId, progressBar } from './common.js';

const id = param('id');
const frame = document.getElementById('report-frame');
const draft = document.getElementById('report-draft');
const draftText = document.getElementById('report-draft-text');
const draftProgress = document.getElementById('report-draft-progress');
let markdown = null;

/** How often the page asks for the report being written: the worker updates it about twice a second. */
const DRAFT_POLL_MS = 1000;

async function load() {
  if (!isJobId(id)) {
    announce('This page needs a job id (report.html?id=…).', { error: true });
    return;
  }
  const base = `/api/jobs/${id}/report`;
  document.getElementById('dl-md').href = `${base}?format=md&download=true`;
  document.getElementById('dl-html').href = `${base}?format=html&download=true`;
  document.getElementById('dl-json').href = `${base}?format=json&download=true`;
  document.getElementById('back-job').href = `/job.html?id=${id}`;

  // The Markdown says whether there is a report yet, gives the title and is what "Copy" copies.
  const result = await api(`${base}?format=md`);
  if (!result.ok) {
    if (result.status === 404 && await followDraft()) return;
    announce(problemText(result.problem), { error: true });
    return;
  }
  draft.hidden = true;
  frame.hidden = false;
  markdown = result.data;
  const title = /^# +(.+)$/m.exec(markdown);
  if (title) document.getElementById('report-title').textContent = title[1].trim();

  // From its own URL rather than as srcdoc: the "#id" links of its table of contents then resolve against the report,
  // not this page, and scroll the frame instead of loading this page into it.
  frame.src = `${base}?format=html`;
  announce('Report loaded.');
}

/**
 * While stage 6 streams, shows the report as far as it is written, as plain text (it is unvalidated model output), and
 * loads the finished report once it is stored. False when no report is being written.
 */
async function followDraft() {
  const first = await api(`/api/jobs/${id}/report/draft`);
  if (!first.ok) return false;
  frame.hidden = true;
  draft.hidden = false;
  announce('The report is being written; it appears here as the model writes it.');
  let current = first;
  while (current.ok) {
    draftText.textContent = current.data.text;
    draftProgress.replaceChildren(progressBar(current.data.progress));
    await new Promise((resolve) => setTimeout(resolve, DRAFT_POLL_MS));
    current = await api(`/api/jobs/${id}/report/draft`);
  }
  // Written: the stored report replaces the draft (or the page says why there is none).
  await load();
  return true;
}

document.getElementById('copy-md').addEventListener('click', async () => {
  if (markdown === null) {
    const result = await api(`/api/jobs/${id}/report?format=md`);
    if (!result.ok) {
      announce(problemText(result.problem), { error: true });
      return;
    }
    markdown = result.data;
  }
  try {
    await navigator.clipboard.writeText(markdown);
  } catch {
    const area = el('textarea', { value: markdown, 'aria-hidden': 'true', class: 'visually-hidden' });
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
  announce('The report was copied as Markdown.');
});

load();
