// New research: the 19-field profile as a 3-step form with the server's blocking rules and the soft hints.
import { el, api, announce, problemText, clear } from './common.js';
import { PROFILE_STEPS, PROFILE_FIELDS, fieldControl, validateProfileFields, profileHints, showErrors, clearErrors,
  setFieldError, setFieldHint } from './forms.js';

const form = document.getElementById('research-form');
const stepsHost = document.getElementById('steps');
const back = document.getElementById('back');
const next = document.getElementById('next');
const submit = document.getElementById('submit');
const stepLabel = document.getElementById('step-label');
const progress = document.getElementById('step-progress');
let current = 0;
let samples = [];

const fieldsets = PROFILE_STEPS.map((step, index) => el('fieldset', { 'data-step': index, hidden: index !== 0 },
  el('legend', { tabindex: '-1', text: `Step ${index + 1} of ${PROFILE_STEPS.length}: ${step.title}` }),
  step.fields.map((field) => fieldControl(field, 'profile'))));
stepsHost.append(...fieldsets);

function values() {
  const result = {};
  for (const field of PROFILE_FIELDS) result[field.name] = form.elements[field.name].value;
  return result;
}

function showStep(index, { focus = true } = {}) {
  current = index;
  fieldsets.forEach((fs, i) => { fs.hidden = i !== index; });
  back.hidden = index === 0;
  next.hidden = index === PROFILE_STEPS.length - 1;
  submit.hidden = index !== PROFILE_STEPS.length - 1;
  stepLabel.textContent = `Step ${index + 1} of ${PROFILE_STEPS.length}: ${PROFILE_STEPS[index].title}`;
  progress.value = index + 1;
  if (focus) fieldsets[index].querySelector('legend').focus();
}

function validateStep(index) {
  const fields = PROFILE_STEPS[index].fields;
  const errors = validateProfileFields(fields, values());
  fields.forEach((f) => setFieldError(form, f.name, null));
  if (Object.keys(errors).length) {
    showErrors(form, errors);
    announce(`${Object.keys(errors).length} field(s) on this step need attention.`, { error: true });
    return false;
  }
  announce('', { error: true });
  return true;
}

function refreshHints() {
  const hints = profileHints(values());
  for (const field of PROFILE_FIELDS) setFieldHint(form, field.name, hints[field.name]);
}

next.addEventListener('click', () => { if (validateStep(current)) showStep(current + 1); });
back.addEventListener('click', () => showStep(current - 1));
form.addEventListener('input', (event) => {
  const wrapper = event.target.closest('[data-field]');
  if (wrapper?.classList.contains('invalid')) {
    const field = PROFILE_FIELDS.find((f) => f.name === wrapper.dataset.field);
    const error = validateProfileFields([field], values())[field.name];
    setFieldError(form, field.name, error ?? null);
  }
});
form.addEventListener('focusout', refreshHints);
// Enter in a text input of steps 1-2 moves on instead of submitting.
form.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && event.target.tagName === 'INPUT' && current < PROFILE_STEPS.length - 1) {
    event.preventDefault();
    next.click();
  }
});

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors(form);
  // Every step is checked; the first step with an error is shown.
  const all = validateProfileFields(PROFILE_FIELDS, values());
  if (Object.keys(all).length) {
    const first = PROFILE_STEPS.findIndex((s) => s.fields.some((f) => all[f.name]));
    showStep(first, { focus: false });
    showErrors(form, all);
    announce(`${Object.keys(all).length} field(s) need attention.`, { error: true });
    return;
  }
  refreshHints();
  submit.disabled = true;
  announce('Submitting the research job…');
  const result = await api('/api/jobs', { method: 'POST', body: { kind: 'research', profile: values() } });
  submit.disabled = false;
  if (result.ok) {
    const id = result.data?.id ?? result.location?.split('/').pop();
    location.assign(`/job.html?id=${encodeURIComponent(id)}`);
    return;
  }
  const errors = {};
  const other = [];
  for (const [key, messages] of Object.entries(result.problem?.errors ?? {})) {
    if (key.startsWith('profile.')) errors[key.slice('profile.'.length)] = messages;
    else other.push(`${key}: ${[].concat(messages).join(' ')}`);
  }
  if (Object.keys(errors).length) {
    const first = PROFILE_STEPS.findIndex((s) => s.fields.some((f) => errors[f.name]));
    if (first >= 0) showStep(first, { focus: false });
    other.push(...showErrors(form, errors));
  }
  announce(other.length ? `${problemText(result.problem)}\n${other.join('\n')}` : problemText(result.problem), { error: true });
});

// ---- samples ----
const sampleSelect = document.getElementById('sample');
document.getElementById('fill-sample').addEventListener('click', () => {
  const sample = samples.find((s) => s.id === sampleSelect.value) ?? samples[0];
  if (!sample) {
    announce('No sample profiles are available.', { error: true });
    return;
  }
  for (const field of PROFILE_FIELDS) {
    const value = sample.profile?.[field.name];
    form.elements[field.name].value = typeof value === 'string' ? value : '';
  }
  clearErrors(form);
  refreshHints();
  announce(`Filled with the sample "${sample.name}".`);
});

(async () => {
  const result = await api('/api/samples');
  samples = result.ok && Array.isArray(result.data) ? result.data : [];
  clear(sampleSelect);
  if (!samples.length) sampleSelect.append(el('option', { value: '', text: 'No samples' }));
  for (const sample of samples) sampleSelect.append(el('option', { value: sample.id, text: sample.name }));
})();

showStep(0, { focus: false });
