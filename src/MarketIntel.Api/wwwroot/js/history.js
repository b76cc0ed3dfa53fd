// History: recent jobs, newest first, with links to reopen them.
import { el, api, announce, problemText, clear, formatTime } from './common.js';

const body = document.querySelector('#jobs tbody');

(async () => {
  const result = await api('/api/jobs?limit=50');
  if (!result.ok) {
    announce(problemText(result.problem), { error: true });
    return;
  }
  const jobs = result.data ?? [];
  clear(body);
  if (!jobs.length) {
    body.append(el('tr', {}, el('td', { colspan: 5 }, 'No jobs yet. ', el('a', { href: '/', text: 'Start new research' }), '.')));
  }
  for (const job of jobs) {
    const done = (n) => job.stages.some((s) => s.stage === n && s.status === 'succeeded');
    const open = [el('a', { href: `/job.html?id=${job.id}`, text: 'Progress' })];
    if (done(6)) open.push(el('a', { href: `/report.html?id=${job.id}`, text: 'Report' }));
    if (job.kind !== 'research' && job.stages.some((s) => s.stage === 7)) {
      open.push(el('a', { href: `/offer.html?job=${job.id}${job.researchJobId ? `&research=${job.researchJobId}` : ''}`, text: 'Offer' }));
    }
    body.append(el('tr', { 'data-job': job.id },
      el('td', { text: formatTime(job.createdAt) }),
      el('td', { text: job.kind }),
      el('td', { text: job.businessName ?? job.profile?.business_name ?? '—' }),
      el('td', {}, el('span', { class: `badge ${job.status}`, text: job.status })),
      el('td', { class: 'links' }, open)));
  }
  announce(`${jobs.length} job(s).`);
})();
