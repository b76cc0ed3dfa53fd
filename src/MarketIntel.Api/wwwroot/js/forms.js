// Field definitions and client-side rules of the profile and preferences forms. They mirror the server's
// BusinessProfile.Validate / OfferPreferences.Validate (the server stays the authority; its field errors are shown
// at the same fields).
import { el } from './common.js';

export const MAX_TEXT = 300;
export const MAX_TEXTAREA = 4000;
export const MIN_TEXTAREA = 50;

const opt = (values, labels = {}) => values.map((v) => ({ value: v, label: labels[v] ?? v }));

export const PROFILE_STEPS = [
  {
    title: 'Business foundation',
    fields: [
      { name: 'business_name', label: 'Business name', control: 'text', required: true },
      { name: 'current_offer_description', label: 'Current offer description', control: 'textarea', required: true,
        help: 'Describe what you sell, to whom and how it is delivered (aim for 100+ words).' },
      { name: 'niche', label: 'Niche', control: 'text', required: true },
      { name: 'specialization_keywords', label: 'Specialization keywords', control: 'text', help: 'Comma-separated.' },
      { name: 'business_stage', label: 'Business stage', control: 'select', required: true,
        options: opt(['startup', 'growth', 'scaling'], { startup: 'Startup', growth: 'Growth', scaling: 'Scaling' }) },
      { name: 'revenue_range', label: 'Annual revenue', control: 'select', required: true,
        options: opt(['<10k', '10k-50k', '50k-100k', '100k-500k', '500k+'],
          { '<10k': 'Under $10k', '10k-50k': '$10k–$50k', '50k-100k': '$50k–$100k', '100k-500k': '$100k–$500k', '500k+': '$500k+' }) },
      { name: 'preferred_market_category', label: 'Market category', control: 'select', required: true,
        options: opt(['health', 'wealth', 'relationships'], { health: 'Health', wealth: 'Wealth', relationships: 'Relationships' }) },
    ],
  },
  {
    title: 'Target market',
    fields: [
      { name: 'target_market_hypothesis', label: 'Target market hypothesis', control: 'text', required: true },
      { name: 'target_demographics', label: 'Target demographics', control: 'textarea', required: true,
        help: 'Age, role, location and income.' },
      { name: 'target_psychographics', label: 'Target psychographics', control: 'textarea', required: true },
      { name: 'current_customers_description', label: 'Current customers', control: 'textarea' },
      { name: 'biggest_customer_pain_point', label: 'Biggest customer pain point', control: 'textarea', required: true },
    ],
  },
  {
    title: 'Offer context',
    fields: [
      { name: 'service_type', label: 'Service type', control: 'select', required: true,
        options: opt(['coaching', 'consulting', 'product', 'hybrid'], { coaching: 'Coaching', consulting: 'Consulting', product: 'Product', hybrid: 'Hybrid' }) },
      { name: 'delivery_format', label: 'Delivery format', control: 'select', required: true,
        options: opt(['1:1', 'group', 'self-study', 'hybrid'], { '1:1': 'One-to-one', group: 'Group', 'self-study': 'Self-study', hybrid: 'Hybrid' }) },
      { name: 'price_point_current', label: 'Current price point', control: 'text', required: true, help: 'e.g. "$5,000 for 6 months".' },
      { name: 'desired_price_point', label: 'Desired price point', control: 'text' },
      { name: 'offer_duration', label: 'Offer duration', control: 'text', required: true },
      { name: 'unique_mechanism', label: 'Unique mechanism', control: 'textarea', required: true,
        help: 'Your method, framework or process and why it works.' },
      { name: 'competitors_offers', label: "Competitors' offers", control: 'textarea', help: 'Names and prices if known.' },
    ],
  },
];

export const PROFILE_FIELDS = PROFILE_STEPS.flatMap((s) => s.fields);

/** Blocking rules of one text field, as the server's FieldRules.Text applies them. */
function textRule(value, { required = false, max = MAX_TEXT, min = 0 }) {
  const text = value ?? '';
  const trimmed = text.trim();
  if (required && trimmed.length === 0) return 'is required.';
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(text)) return 'must not contain control characters.';
  if (min > 0 && trimmed.length < min) return `must be at least ${min} characters (got ${trimmed.length}).`;
  if (text.length > max) return `must be at most ${max} characters (got ${text.length}).`;
  return null;
}

/** Limits of a profile field: textareas 4000 (required ones at least 50), text inputs 300. */
function profileLimits(field) {
  return field.control === 'textarea'
    ? { required: field.required, max: MAX_TEXTAREA, min: field.required ? MIN_TEXTAREA : 0 }
    : { required: field.required, max: MAX_TEXT };
}

export function validateProfileFields(fields, values) {
  const errors = {};
  for (const field of fields) {
    const value = values[field.name] ?? '';
    let error = null;
    if (field.control === 'select') {
      if (!value) error = 'is required.';
      else if (!field.options.some((o) => o.value === value)) error = 'is not one of the allowed values.';
    } else {
      error = textRule(value, profileLimits(field));
    }
    if (error) errors[field.name] = error;
  }
  return errors;
}

/** Soft hints (docs/domain.md §1.4): shown, never blocking. */
export function profileHints(values) {
  const hints = {};
  if ((values.current_offer_description ?? '').trim().length < 100) {
    hints.current_offer_description = 'A description of 100+ characters gives the research much more to work with.';
  }
  if (!/income/i.test(values.target_demographics ?? '')) {
    hints.target_demographics = "Mention the customers' income; pricing advice depends on it.";
  }
  if ((values.biggest_customer_pain_point ?? '').trim().length < 50) {
    hints.biggest_customer_pain_point = 'A specific pain point (50+ characters) sharpens the buyer psychology.';
  }
  if ((values.unique_mechanism ?? '').trim().length < 50) {
    hints.unique_mechanism = 'Explain your mechanism in a sentence or two (50+ characters).';
  }
  return hints;
}

/** Renders one labelled control with its help, hint and error elements wired through aria-describedby. */
export function fieldControl(field, idPrefix = 'f') {
  const id = `${idPrefix}-${field.name}`;
  const describedBy = [];
  const help = field.help ? el('p', { class: 'help', id: `${id}-help`, text: field.help }) : null;
  if (help) describedBy.push(help.id);
  const hint = el('p', { class: 'hint', id: `${id}-hint`, hidden: true });
  const error = el('p', { class: 'error', id: `${id}-error`, hidden: true });
  describedBy.push(error.id, hint.id);
  const common = { id, name: field.name, 'aria-describedby': describedBy.join(' ') };
  if (field.required) common.required = true;
  let control;
  if (field.control === 'select') {
    control = el('select', common,
      el('option', { value: '', text: field.placeholder ?? 'Choose…' }),
      field.options.map((o) => el('option', { value: o.value, text: o.label })));
  } else if (field.control === 'textarea') {
    control = el('textarea', { ...common, rows: 4, maxLength: field.max ?? MAX_TEXTAREA });
  } else if (field.control === 'number') {
    control = el('input', { ...common, type: 'number', inputMode: 'numeric', min: field.min ?? 0, step: 1 });
  } else {
    control = el('input', { ...common, type: 'text', maxLength: field.max ?? MAX_TEXT, autocomplete: 'off' });
  }
  const label = el('label', { for: id }, field.label,
    field.required ? el('span', { class: 'req', 'aria-hidden': 'true', text: ' *' }) : el('span', { class: 'optional', text: ' (optional)' }));
  return el('div', { class: 'field', 'data-field': field.name }, label, help, control, error, hint);
}

export function setFieldError(form, name, message) {
  const wrapper = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
  if (!wrapper) return false;
  const error = wrapper.querySelector(':scope > .error') ?? wrapper.querySelector('.error');
  const controls = wrapper.querySelectorAll(':scope > input, :scope > select, :scope > textarea');
  error.textContent = message ? `${wrapper.dataset.label ?? labelOf(wrapper)} ${message}` : '';
  error.hidden = !message;
  controls.forEach((c) => { if (message) c.setAttribute('aria-invalid', 'true'); else c.removeAttribute('aria-invalid'); });
  wrapper.classList.toggle('invalid', Boolean(message));
  return true;
}

export function setFieldHint(form, name, message) {
  const hint = form.querySelector(`[data-field="${CSS.escape(name)}"] .hint`);
  if (!hint) return;
  hint.textContent = message ?? '';
  hint.hidden = !message;
}

function labelOf(wrapper) {
  const label = wrapper.querySelector('label, legend');
  return (label?.firstChild?.textContent ?? '').trim();
}

export function clearErrors(form) {
  form.querySelectorAll('[data-field]').forEach((w) => setFieldError(form, w.dataset.field, null));
}

/** Shows errors at their fields; focuses the first; returns the messages that matched no field. */
export function showErrors(form, errors) {
  const unmatched = [];
  let first = null;
  for (const [name, messages] of Object.entries(errors)) {
    const message = Array.isArray(messages) ? messages.join(' ') : messages;
    if (setFieldError(form, name, message)) {
      first ??= form.querySelector(`[data-field="${CSS.escape(name)}"] input, [data-field="${CSS.escape(name)}"] select, [data-field="${CSS.escape(name)}"] textarea`);
    } else {
      unmatched.push(`${name}: ${message}`);
    }
  }
  first?.focus();
  return unmatched;
}

// ---- Offer preferences (docs/domain.md §1.5) ----

export const PRIORITIES = [
  ['maximize_conversion_rate', 'Maximise conversion rate'],
  ['maximize_average_order_value', 'Maximise average order value'],
  ['maximize_lifetime_value', 'Maximise lifetime value'],
  ['build_trust_authority', 'Build trust and authority'],
  ['create_urgency_scarcity', 'Create urgency and scarcity'],
  ['differentiate_from_competitors', 'Differentiate from competitors'],
];
export const PROOF_ASSETS = [
  ['testimonials', 'Testimonials'], ['case_studies', 'Case studies'], ['before_after', 'Before/after results'],
  ['certifications', 'Certifications'], ['media_mentions', 'Media mentions'],
];
export const COMPONENTS = [
  ['premium_bonuses', 'Premium bonuses'], ['payment_flexibility', 'Payment flexibility'], ['fast_action_rewards', 'Fast-action rewards'],
  ['money_back_guarantee', 'Money-back guarantee'], ['results_guarantee', 'Results guarantee'], ['done_with_you_support', 'Done-with-you support'],
];
export const PRICING_STRATEGIES = opt(['value-based', 'premium-positioning', 'market-competitive'],
  { 'value-based': 'Value-based', 'premium-positioning': 'Premium positioning', 'market-competitive': 'Market-competitive' });
export const RISK_TOLERANCES = opt(['conservative', 'moderate', 'aggressive'],
  { conservative: 'Conservative', moderate: 'Moderate', aggressive: 'Aggressive' });
export const TONES = opt(['professional', 'conversational', 'inspiring', 'direct'],
  { professional: 'Professional', conversational: 'Conversational', inspiring: 'Inspiring', direct: 'Direct' });
export const MAX_PRICE = 1_000_000;

export function validatePreferences(p) {
  const errors = {};
  const put = (k, m) => { errors[k] = errors[k] ? `${errors[k]} ${m}` : m; };
  if (!p.strategic_priorities.length) put('strategic_priorities', 'choose at least one priority.');
  const transformation = textRule(p.primary_transformation, { required: true, max: MAX_TEXTAREA, min: MIN_TEXTAREA });
  if (transformation) put('primary_transformation', transformation);
  if (!PRICING_STRATEGIES.some((o) => o.value === p.pricing_strategy)) put('pricing_strategy', 'is required.');
  const { min, max } = p.comfortable_price_range;
  if (!Number.isInteger(min) || min <= 0) put('comfortable_price_range.min', 'must be a whole number greater than 0.');
  if (!Number.isInteger(max) || max <= min) put('comfortable_price_range.max', 'must be a whole number greater than min.');
  else if (max > MAX_PRICE) put('comfortable_price_range.max', `must be at most ${MAX_PRICE}.`);
  for (const [name, max] of [['proprietary_frameworks', MAX_TEXT], ['unique_tools_resources', MAX_TEXTAREA], ['exclusive_access', MAX_TEXT]]) {
    const error = textRule(p[name], { required: true, max });
    if (error) put(name, error);
  }
  if (!RISK_TOLERANCES.some((o) => o.value === p.guarantee_risk_tolerance)) put('guarantee_risk_tolerance', 'is required.');
  if (p.voice_preferences) {
    for (const key of ['avoid_words', 'must_include_concepts']) {
      const error = textRule(p.voice_preferences[key], { max: MAX_TEXT });
      if (error) put(`voice_preferences.${key}`, error);
    }
  }
  return errors;
}
