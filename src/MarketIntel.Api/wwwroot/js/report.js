// Report page: the server's sanitised HTML, table of contents included, in a sandboxed iframe (no scripts, no forms,
// opaque origin); copy as Markdown and downloads. Neither Markdown nor the report's HTML is ever parsed here.
import { el, api, announce, problemText, param, isJobId } from './common.js';

const id = param('id');
const frame = document.getElementById('report-frame');
let markdown = null;

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
    announce(problemText(result.problem), { error: true });
    return;
  }
  markdown = result.data;
  const title = /^# +(.+)$/m.exec(markdown);
  if (title) document.getElementById('report-title').textContent = title[1].trim();

  // From its own URL rather than as srcdoc: the "#id" links of its table of contents then resolve against the report,
  // not this page, and scroll the frame instead of loading this page into it.
  frame.src = `${base}?format=html`;
  announce('Report loaded.');
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
