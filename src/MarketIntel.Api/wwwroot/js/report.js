// Report page: the server's sanitised HTML in a sandboxed iframe (no scripts, opaque origin), a table of contents,
// copy as Markdown and downloads. Markdown is never rendered here.
import { el, api, announce, problemText, clear, param, isJobId } from './common.js';

const id = param('id');
const frame = document.getElementById('report-frame');
const toc = document.getElementById('toc');
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

  let response;
  try {
    response = await fetch(`${base}?format=html`, { headers: { Accept: 'text/html' } });
  } catch (error) {
    announce(`The server cannot be reached: ${error}`, { error: true });
    return;
  }
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch { /* not JSON */ }
    announce(problemText(problem ?? { title: `HTTP ${response.status}` }), { error: true });
    return;
  }
  const html = await response.text();
  frame.srcdoc = html; // sandbox="" : no scripts, no forms, no navigation of this page.

  // An inert parse (DOMParser runs no script and loads nothing) only to read the headings' text.
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const title = doc.querySelector('h1');
  if (title) document.getElementById('report-title').textContent = title.textContent;
  clear(toc);
  for (const heading of doc.querySelectorAll('h2, h3')) {
    if (heading.closest('nav') || /^(table of )?contents$/i.test(heading.textContent.trim())) continue;
    toc.append(el('li', { class: `level-${heading.tagName.substring(1)}`, text: heading.textContent }));
  }
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
    const area = el('textarea', { value: markdown, 'aria-hidden': 'true', style: 'position:fixed;left:-9999px' });
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
  announce('The report was copied as Markdown.');
});

load();
