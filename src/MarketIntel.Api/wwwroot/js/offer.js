// Offer: the preferences form (docs/domain.md §1.5) for a finished research job, then the offer as cards per stage 7-13,
// filled in as the stages succeed, with the same exports as the report page (copy as Markdown, Markdown, HTML, JSON).
// All model text goes in as text; the exported Markdown is copied, never parsed here.
import { el, api, announce, problemText, clear, param, isJobId, followJob, formatMoney, STAGE_NAMES } from './common.js';
import { PRIORITIES, PROOF_ASSETS, COMPONENTS, PRICING_STRATEGIES, RISK_TOLERANCES, TONES,
  fieldControl, validatePreferences, showErrors, clearErrors } from './forms.js';

const researchId = param('research');
const jobId = param('job');
const form = document.getElementById('offer-form');
const prefsHost = document.getElementById('prefs');
const intro = document.getElementById('offer-intro');
const result = document.getElementById('offer-result');
const cards = document.getElementById('offer-cards');
const progressList = document.getElementById('offer-progress');
const exports = document.getElementById('offer-exports');
const generated = document.getElementById('offer-generated');

// ---- form ----
function checkGroup(name, legend, options, { required = false, help } = {}) {
  const errorId = `p-${name}-error`;
  return el('fieldset', { class: 'field', 'data-field': name, 'aria-describedby': errorId },
    el('legend', {}, legend, required ? el('span', { class: 'req', 'aria-hidden': 'true', text: ' *' }) : el('span', { class: 'optional', text: ' (optional)' })),
    help ? el('p', { class: 'help', text: help }) : null,
    el('div', { class: 'checks' }, options.map(([value, label]) =>
      el('label', {}, el('input', { type: 'checkbox', name, value }), label))),
    el('p', { class: 'error', id: errorId, hidden: true }));
}

function buildForm() {
  const min = fieldControl({ name: 'comfortable_price_range.min', label: 'Minimum price ($)', control: 'number', required: true, min: 1 }, 'p');
  const max = fieldControl({ name: 'comfortable_price_range.max', label: 'Maximum price ($)', control: 'number', required: true, min: 1 }, 'p');
  prefsHost.append(
    el('fieldset', {}, el('legend', { text: 'Goals' }),
      checkGroup('strategic_priorities', 'Strategic priorities', PRIORITIES, { required: true, help: 'Choose at least one (3–5 work best).' }),
      fieldControl({ name: 'primary_transformation', label: 'Primary transformation', control: 'textarea', required: true,
        help: 'The result your client gets, in their words (50+ characters; 100+ is better).' }, 'p')),
    el('fieldset', {}, el('legend', { text: 'Pricing and risk' }),
      fieldControl({ name: 'pricing_strategy', label: 'Pricing strategy', control: 'select', required: true, options: PRICING_STRATEGIES }, 'p'),
      el('div', { class: 'row2' }, min, max),
      fieldControl({ name: 'guarantee_risk_tolerance', label: 'Guarantee risk tolerance', control: 'select', required: true, options: RISK_TOLERANCES }, 'p')),
    el('fieldset', {}, el('legend', { text: 'Assets' }),
      checkGroup('proof_assets_available', 'Proof you can show', PROOF_ASSETS),
      fieldControl({ name: 'proprietary_frameworks', label: 'Proprietary frameworks', control: 'text', required: true }, 'p'),
      fieldControl({ name: 'unique_tools_resources', label: 'Unique tools and resources', control: 'textarea', required: true }, 'p'),
      fieldControl({ name: 'exclusive_access', label: 'Exclusive access', control: 'text', required: true }, 'p'),
      checkGroup('emphasize_components', 'Components to emphasise', COMPONENTS)),
    el('fieldset', {}, el('legend', { text: 'Voice (optional)' }),
      fieldControl({ name: 'voice_preferences.tone', label: 'Tone', control: 'select', options: TONES, placeholder: 'Use the research' }, 'p'),
      fieldControl({ name: 'voice_preferences.avoid_words', label: 'Words to avoid', control: 'text' }, 'p'),
      fieldControl({ name: 'voice_preferences.must_include_concepts', label: 'Concepts to include', control: 'text' }, 'p')));
}

const checked = (name) => [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
const value = (name) => form.elements.namedItem(name).value;
const whole = (text) => (/^\s*\d+\s*$/.test(text) ? Number.parseInt(text, 10) : Number.NaN);

function preferences() {
  const proof = checked('proof_assets_available');
  const prefs = {
    strategic_priorities: checked('strategic_priorities'),
    primary_transformation: value('primary_transformation'),
    proof_assets_available: Object.fromEntries(PROOF_ASSETS.map(([k]) => [k, proof.includes(k)])),
    pricing_strategy: value('pricing_strategy'),
    comfortable_price_range: { min: whole(value('comfortable_price_range.min')), max: whole(value('comfortable_price_range.max')) },
    proprietary_frameworks: value('proprietary_frameworks'),
    unique_tools_resources: value('unique_tools_resources'),
    exclusive_access: value('exclusive_access'),
    guarantee_risk_tolerance: value('guarantee_risk_tolerance'),
    emphasize_components: checked('emphasize_components'),
  };
  const voice = { tone: value('voice_preferences.tone'), avoid_words: value('voice_preferences.avoid_words'), must_include_concepts: value('voice_preferences.must_include_concepts') };
  if (voice.tone || voice.avoid_words.trim() || voice.must_include_concepts.trim()) {
    prefs.voice_preferences = { ...voice, tone: voice.tone || 'professional' };
  }
  return prefs;
}

function fill(sample) {
  if (!sample) return;
  const set = (name, v) => { const c = form.elements.namedItem(name); if (c && v !== undefined && v !== null) c.value = String(v); };
  for (const [k, v] of Object.entries(sample)) if (typeof v === 'string') set(k, v);
  set('comfortable_price_range.min', sample.comfortable_price_range?.min);
  set('comfortable_price_range.max', sample.comfortable_price_range?.max);
  const tick = (name, values) => form.querySelectorAll(`input[name="${name}"]`).forEach((i) => { i.checked = values.includes(i.value); });
  tick('strategic_priorities', sample.strategic_priorities ?? []);
  tick('emphasize_components', sample.emphasize_components ?? []);
  tick('proof_assets_available', Object.entries(sample.proof_assets_available ?? {}).filter(([, v]) => v).map(([k]) => k));
  if (sample.voice_preferences) {
    set('voice_preferences.tone', sample.voice_preferences.tone);
    set('voice_preferences.avoid_words', sample.voice_preferences.avoid_words);
    set('voice_preferences.must_include_concepts', sample.voice_preferences.must_include_concepts);
  }
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors(form);
  const prefs = preferences();
  const errors = validatePreferences(prefs);
  if (Object.keys(errors).length) {
    showErrors(form, errors);
    announce(`${Object.keys(errors).length} field(s) need attention.`, { error: true });
    return;
  }
  const submit = document.getElementById('generate');
  submit.disabled = true;
  announce('Submitting the offer job…');
  const response = await api('/api/jobs', { method: 'POST', body: { kind: 'offer', researchJobId: researchId, preferences: prefs } });
  submit.disabled = false;
  if (response.ok) {
    sessionStorage.setItem('marketintel.lastPreferences', JSON.stringify(prefs));
    location.assign(`/offer.html?research=${researchId}&job=${response.data.id}`);
    return;
  }
  const fieldErrors = {};
  const other = [];
  for (const [key, messages] of Object.entries(response.problem?.errors ?? {})) {
    if (key.startsWith('preferences.')) fieldErrors[key.slice('preferences.'.length).replace(/\[\d+\]$/, '')] = messages;
    else other.push(`${key}: ${[].concat(messages).join(' ')}`);
  }
  other.push(...showErrors(form, fieldErrors));
  announce([problemText(response.problem), ...other].join('\n'), { error: true });
});

// ---- offer cards ----
const text = (v) => (v === null || v === undefined ? '—' : Array.isArray(v) ? v.join('; ') : typeof v === 'number' ? String(v) : String(v));
const kv = (pairs) => el('dl', { class: 'kv' }, pairs.filter(([, v]) => v !== undefined && v !== null && v !== '')
  .map(([k, v]) => [el('dt', { text: k }), el('dd', { text: text(v) })]));
const recommendedBadge = () => el('span', { class: 'badge recommended', text: 'Recommended' });
const card = (n, ...children) => el('article', { class: 'card', 'data-stage': n, 'aria-labelledby': `card-${n}` },
  el('h3', { id: `card-${n}`, text: `${n}. ${STAGE_NAMES[n]}` }), ...children);

const renderers = {
  7(c) {
    const options = Array.isArray(c.options) ? c.options : ['option_1', 'option_2', 'option_3'].map((k) => c[k]).filter(Boolean);
    const rec = typeof c.recommended_option === 'number' ? c.recommended_option - 1 : Number(String(c.recommended_option ?? '').replace(/\D/g, '')) - 1;
    return card(7, el('div', { class: 'options' }, options.map((o, i) => el('section', { class: `option${i === rec ? ' recommended' : ''}`, 'data-recommended': String(i === rec) },
      el('h4', {}, `Option ${i + 1}`, i === rec ? recommendedBadge() : null),
      el('p', { class: 'big-promise', text: o.big_promise }),
      kv([['Mechanism', o.unique_mechanism_name ?? o.unique_mechanism], ['How it works', o.mechanism_explanation], ['Who it is for', o.who_its_for],
        ['Why now', o.why_now], ['Proof', o.proof_strategy], ['Differentiation', o.differentiation ?? o.differentiation_strategy], ['Angle', o.strategic_angle]])))),
    el('p', { text: c.recommendation_rationale }));
  },
  8(c) {
    return card(8, el('ol', {}, (c.core_components ?? []).map((x) => el('li', {},
      el('strong', { text: x.component_name }), ` — ${formatMoney(x.perceived_value)}`,
      kv([['What it is', x.what_it_is], ['What it does', x.what_it_does], ['Desire', x.desire_addressed], ['Delivery', x.delivery_format]])))),
    el('p', { class: 'big' }, 'Total perceived value: ', el('span', { class: 'total-value', text: formatMoney(c.total_perceived_value) })),
    el('p', { text: c.value_stack_summary }));
  },
  9(c) {
    return card(9, el('p', { class: 'big' }, 'Price: ', el('span', { class: 'price', text: formatMoney(c.recommended_price) })),
      kv([['Value-to-price ratio', c.value_to_price_ratio], ['Rationale', c.pricing_rationale], ['Competitive positioning', c.competitive_positioning],
        ['Reference points', c.price_anchoring_strategy?.reference_points], ['Framing', c.price_anchoring_strategy?.framing_technique],
        ['Primary payment option', c.payment_structure?.primary_option], ['Alternatives', c.payment_structure?.alternative_options],
        ['Top objection', c.price_sensitivity_mitigation?.top_objection], ['Response', c.price_sensitivity_mitigation?.response_strategy]]));
  },
  10(c) {
    const plans = c.plans ?? c.payment_plans ?? [];
    const isRec = (p) => p.is_recommended === true || (c.recommended_default && String(c.recommended_default).toLowerCase() === String(p.plan_name).toLowerCase());
    return card(10, el('div', { class: 'options' }, plans.map((p) => el('section', { class: `option${isRec(p) ? ' recommended' : ''}`, 'data-recommended': String(isRec(p)) },
      el('h4', {}, p.plan_name, isRec(p) ? recommendedBadge() : null),
      el('p', { class: 'big', text: formatMoney(p.total_price) }),
      kv([['Structure', p.payment_structure], ['Incentive', p.incentive], ['Best for', p.best_for], ['Why it converts', p.conversion_psychology]])))),
    el('p', { text: c.recommendation_rationale }));
  },
  11(c) {
    return card(11, el('ol', {}, (c.bonuses ?? []).map((b) => el('li', {},
      el('strong', { text: b.bonus_name }), ` — ${formatMoney(b.perceived_value)}`,
      kv([['What it is', b.what_it_is], ['What it does', b.what_it_does], ['Addresses', b.desire_pain_addressed],
        ['Delivered', b.delivery_timing], ['Why it is valuable', b.why_its_valuable]])))),
    el('p', { class: 'big', text: `Total bonus value: ${formatMoney(c.total_bonus_value)}` }),
    el('p', { text: c.strategic_bonus_summary }));
  },
  12(c) {
    const rec = Number(String(c.recommended_guarantee ?? '').replace(/\D/g, '')) - 1;
    return card(12, el('div', { class: 'options' }, (c.guarantee_options ?? []).map((g, i) => el('section', { class: `option${i === rec ? ' recommended' : ''}`, 'data-recommended': String(i === rec) },
      el('h4', {}, g.guarantee_name || `Guarantee ${i + 1}`, el('span', { class: `badge ${['low', 'moderate', 'high'].includes(g.risk_level) ? g.risk_level : ''}`, text: `risk: ${g.risk_level ?? '—'}` }),
        i === rec ? recommendedBadge() : null),
      kv([['Terms', g.guarantee_terms], ['Covered', g.whats_covered], ['Triggers', g.trigger_conditions], ['Remedy', g.refund_remedy_terms], ['Impact', g.psychological_impact]])))),
    el('p', { text: c.recommendation_rationale }));
  },
  13(c) {
    const s = c.scarcity_mechanisms ?? {};
    return card(13,
      el('h4', { text: 'Order bumps' }),
      el('ul', {}, (c.order_bumps ?? []).map((b) => el('li', {}, el('strong', { text: b.bump_name }), ` — ${formatMoney(b.price)} (value ${formatMoney(b.perceived_value)})`,
        kv([['What it is', b.what_it_is], ['Why add it', b.why_add_it], ['Best for', b.best_for], ['Hook', b.conversion_hook]])))),
      el('h4', { text: 'Upsells' }),
      el('ul', {}, (c.upsells ?? []).map((u) => el('li', {}, el('strong', { text: u.upsell_name }), ` — ${formatMoney(u.price)} (value ${formatMoney(u.perceived_value)})`,
        kv([['What it is', u.what_it_is], ['Why upgrade', u.why_upgrade], ['Best for', u.best_for], ['Hook', u.conversion_hook], ['Delivery', u.delivery]])))),
      el('h4', { text: 'Scarcity' }),
      kv([['Enrolment', s.enrollment_scarcity], ['Bonus window', s.bonus_scarcity], ['Price', s.price_scarcity], ['Social proof', s.social_proof_scarcity]]),
      kv([['Order bump revenue potential', formatMoney(c.total_order_bump_revenue_potential)], ['Upsell revenue potential', formatMoney(c.total_upsell_revenue_potential)]]),
      el('p', { text: c.monetization_summary }));
  },
};

const shown = new Set();
async function showStage(id, n) {
  if (shown.has(n)) return;
  shown.add(n);
  const output = await api(`/api/jobs/${id}/stages/${n}`);
  if (!output.ok || !output.data?.content) {
    shown.delete(n);
    return;
  }
  let node;
  try {
    node = renderers[n](output.data.content);
  } catch {
    node = card(n, el('pre', { text: JSON.stringify(output.data.content, null, 2) }));
  }
  // Keep the cards in stage order.
  const after = [...cards.children].find((c) => Number(c.dataset.stage) > n);
  cards.insertBefore(node, after ?? null);
}

async function copyMarkdown(id) {
  const response = await api(`/api/jobs/${id}/report?format=md`);
  if (!response.ok) {
    announce(problemText(response.problem), { error: true });
    return;
  }
  try {
    await navigator.clipboard.writeText(response.data);
  } catch {
    const area = el('textarea', { value: response.data, 'aria-hidden': 'true', class: 'visually-hidden' });
    document.body.append(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
  announce('The offer was copied as Markdown.');
}

// The same words as the exports' "Generated on … for …" line: UTC date, English month.
const generatedOn = (iso) => new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

function showJob(id) {
  result.hidden = false;
  const base = `/api/jobs/${id}/report`;
  clear(exports).append(
    el('button', { type: 'button', id: 'copy-offer-md', text: 'Copy (Markdown)', onclick: () => copyMarkdown(id) }),
    el('a', { class: 'button secondary', href: `${base}?format=md&download=true`, download: '', text: 'Download Markdown' }),
    el('a', { class: 'button secondary', href: `${base}?format=html&download=true`, download: '', text: 'Download HTML' }),
    el('a', { class: 'button secondary', href: `${base}?format=json&download=true`, download: '', text: 'Download the offer (JSON)' }),
    el('a', { class: 'button secondary', href: `/job.html?id=${id}`, text: 'Job details' }));
  followJob(id, (job, problem) => {
    if (!job) {
      announce(problemText(problem), { error: true });
      return;
    }
    if (job.finishedAt) {
      generated.textContent = `Generated on ${generatedOn(job.finishedAt)} for ${job.businessName}.`;
      generated.hidden = false;
    }
    const offerStages = job.stages.filter((s) => s.stage >= 7);
    clear(progressList).append(...offerStages.map((s) => el('li', { class: 'stage', 'data-stage': s.stage, 'data-status': s.status },
      el('h3', {}, `${s.stage}. ${STAGE_NAMES[s.stage]}`, el('span', { class: `badge ${s.status}`, text: s.status })))));
    for (const s of offerStages) if (s.status === 'succeeded') showStage(id, s.stage);
    const done = offerStages.filter((s) => s.status === 'succeeded').length;
    announce(`Offer: ${done} of ${offerStages.length} stages done${job.status === 'succeeded' ? ' — complete.' : job.status === 'failed' ? ' — the job failed.' : '.'}`);
  });
}

(async () => {
  if (jobId) {
    if (!isJobId(jobId)) {
      announce('The job id is not valid.', { error: true });
      return;
    }
    intro.textContent = researchId ? 'Generated from your research.' : '';
    if (researchId && isJobId(researchId)) intro.append(' ', el('a', { href: `/job.html?id=${researchId}`, text: 'Open the research job' }));
    showJob(jobId);
    return;
  }
  if (!isJobId(researchId)) {
    intro.textContent = 'An offer is built from a finished research job. ';
    intro.append(el('a', { href: '/history.html', text: 'Choose one in the history' }), ' or ', el('a', { href: '/', text: 'start new research' }), '.');
    return;
  }
  const research = await api(`/api/jobs/${researchId}`);
  if (!research.ok) {
    announce(problemText(research.problem), { error: true });
    return;
  }
  const ready = [1, 2, 3, 4, 5].every((n) => research.data.stages.some((s) => s.stage === n && s.status === 'succeeded'));
  intro.textContent = ready ? 'Your research is ready. Tell us how you want to sell.' : 'The research job has not finished stages 1–5 yet; the offer needs them.';
  buildForm();
  form.hidden = false;
  const samples = await api('/api/samples');
  const sample = samples.ok ? samples.data.find((s) => s.preferences) : null;
  if (sample) {
    document.querySelector('#offer-form .actions').prepend(el('button', { type: 'button', class: 'secondary', id: 'fill-prefs', text: 'Fill with a sample',
      onclick: () => { fill(sample.preferences); clearErrors(form); announce(`Filled with the sample "${sample.name}".`); } }));
  }
})();

