// Research editor: the stage 1-5 outputs the offer reads, as form fields generated from the stage JSON and its schema.
// Values only ever go into .value / textContent. Each save is a new version; "Reset" loads the model's original.
import { el, api, announce, problemText, clear, param, isJobId, humanize, STAGE_NAMES } from './common.js';
import { setFieldError } from './forms.js';

const id = param('id');
const form = document.getElementById('edit-form');
const editor = document.getElementById('editor');
const tabs = document.getElementById('stage-tabs');
const info = document.getElementById('version-info');
let stage = Number(param('stage') ?? 1);
let draft = null;
let original = null;
let schema = null;

const pathText = (path) => path.reduce((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${k}` : k), '');
const get = (obj, path) => path.reduce((o, k) => (o === null || o === undefined ? undefined : o[k]), obj);
function set(obj, path, value) {
  const parent = get(obj, path.slice(0, -1));
  parent[path[path.length - 1]] = value;
}
const typeOf = (s) => {
  const t = s?.type;
  return Array.isArray(t) ? t.find((x) => x !== 'null') : t;
};
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

function blank(s, sample) {
  if (s?.enum) return s.enum[0];
  switch (typeOf(s) ?? typeof sample) {
    case 'object': {
      const result = {};
      const props = s?.properties ?? Object.fromEntries(Object.keys(sample ?? {}).map((k) => [k, null]));
      for (const [k, ps] of Object.entries(props)) result[k] = blank(ps, sample?.[k]);
      return result;
    }
    case 'array': return [];
    case 'integer': case 'number': return s?.minimum ?? 0;
    case 'boolean': return false;
    default: return '';
  }
}

function renderNode(value, s, path, label) {
  const key = pathText(path);
  const kind = typeOf(s) ?? (Array.isArray(value) ? 'array' : value === null ? 'string' : typeof value);
  if (kind === 'object' && value && typeof value === 'object' && !Array.isArray(value)) {
    const keys = s?.properties ? [...new Set([...Object.keys(s.properties), ...Object.keys(value)])] : Object.keys(value);
    return el('fieldset', { class: 'node', 'data-field': key || undefined },
      label ? el('legend', { text: label }) : null,
      s?.description ? el('p', { class: 'help', text: s.description }) : null,
      keys.filter((k) => k in value).map((k) => renderNode(value[k], s?.properties?.[k], [...path, k], humanize(k))),
      key ? el('p', { class: 'error', hidden: true }) : null);
  }
  if (kind === 'array' && Array.isArray(value)) {
    const itemSchema = s?.items;
    const min = s?.minItems ?? 0;
    const max = s?.maxItems ?? Infinity;
    const items = value.map((item, i) => {
      const node = renderNode(item, itemSchema, [...path, i], `${label ?? 'Item'} ${i + 1}`);
      const remove = el('button', { type: 'button', class: 'secondary small', disabled: value.length <= min,
        'aria-label': `Remove ${label ?? 'item'} ${i + 1}`, text: 'Remove',
        onclick: () => { value.splice(i, 1); rerender(`${key}`); } });
      return el('div', { class: 'item' }, node, el('div', { class: 'item-actions' }, remove));
    });
    const add = el('button', { type: 'button', class: 'secondary small', disabled: value.length >= max, text: `Add ${label ?? 'item'}`,
      onclick: () => { value.push(blank(itemSchema, value[0])); rerender(`${key}[${value.length - 1}]`); } });
    const sizes = s?.minItems !== undefined || s?.maxItems !== undefined
      ? el('p', { class: 'help', text: `${value.length} item(s); ${min === max ? `exactly ${min}` : `${min}–${max === Infinity ? 'any' : max}`}.` }) : null;
    return el('fieldset', { class: 'node', 'data-field': key },
      el('legend', { text: label }), s?.description ? el('p', { class: 'help', text: s.description }) : null,
      sizes, items, el('p', { class: 'error', hidden: true }), el('div', { class: 'item-actions' }, add));
  }
  return leaf(value, s, path, label, kind);
}

function leaf(value, s, path, label, kind) {
  const key = pathText(path);
  const inputId = `e-${key.replace(/[^a-z0-9]+/gi, '-')}`;
  const error = el('p', { class: 'error', id: `${inputId}-error`, hidden: true });
  const help = s?.description ? el('p', { class: 'help', id: `${inputId}-help`, text: s.description }) : null;
  const mark = el('span', { class: 'badge modified', hidden: true, text: 'modified' });
  const common = { id: inputId, 'aria-describedby': [help?.id, error.id].filter(Boolean).join(' ') };
  let control;
  const update = (v) => {
    set(draft, path, v);
    mark.hidden = same(v, get(original, path));
  };
  if (s?.enum) {
    control = el('select', { ...common, onchange: (e) => update(e.target.value) },
      s.enum.filter((v) => v !== null).map((v) => el('option', { value: String(v), text: String(v), selected: v === value })));
  } else if (kind === 'boolean') {
    control = el('input', { ...common, type: 'checkbox', checked: value === true, onchange: (e) => update(e.target.checked) });
  } else if (kind === 'integer' || kind === 'number') {
    control = el('input', { ...common, type: 'number', value: value ?? '', min: s?.minimum, max: s?.maximum,
      step: kind === 'integer' ? 1 : 'any',
      oninput: (e) => update(e.target.value === '' ? null : Number(e.target.value)) });
  } else {
    const text = value === null || value === undefined ? '' : String(value);
    const long = text.length > 90 || /sentence|explain|describe|why|how/i.test(s?.description ?? '');
    control = long
      ? el('textarea', { ...common, rows: 3, oninput: (e) => update(e.target.value) })
      : el('input', { ...common, type: 'text', oninput: (e) => update(e.target.value) });
    control.value = text;
  }
  mark.hidden = same(value, get(original, path));
  const labelNode = el('label', { for: inputId }, label, ' ', mark);
  return el('div', { class: 'field', 'data-field': key, 'data-label': label },
    kind === 'boolean' ? el('div', { class: 'checks' }, el('label', { for: inputId }, control, ` ${label} `, mark)) : [labelNode, help, control],
    kind === 'boolean' ? help : null, error);
}

function rerender(focusPath) {
  clear(editor).append(renderNode(draft, schema, [], null));
  if (focusPath) editor.querySelector(`[data-field="${CSS.escape(focusPath)}"] input, [data-field="${CSS.escape(focusPath)}"] textarea, [data-field="${CSS.escape(focusPath)}"] select`)?.focus();
}

function renderTabs() {
  clear(tabs).append(...[1, 2, 3, 4, 5].map((n) => el('button', {
    type: 'button', 'aria-pressed': String(n === stage), text: `${n}. ${STAGE_NAMES[n]}`,
    onclick: () => { stage = n; history.replaceState(null, '', `?id=${id}&stage=${n}`); load(); },
  })));
}

async function load() {
  renderTabs();
  announce(`Loading stage ${stage}…`);
  const [latest, first, schemaResult] = await Promise.all([
    api(`/api/jobs/${id}/stages/${stage}`),
    api(`/api/jobs/${id}/stages/${stage}?version=original`),
    api(`/api/stages/${stage}/schema`),
  ]);
  if (!latest.ok) {
    clear(editor);
    announce(problemText(latest.problem), { error: true });
    return;
  }
  schema = schemaResult.ok ? schemaResult.data : null;
  draft = latest.data.content;
  original = first.ok ? first.data.content : structuredClone(draft);
  showVersion(latest.data);
  rerender();
  announce(`Stage ${stage} loaded.`);
  announce('', { error: true });
}

function showVersion(view) {
  info.textContent = `${view.name ?? STAGE_NAMES[stage]}: version ${view.version} of ${view.versions} (${view.source === 'user' ? 'edited' : 'model output'}), quality ${view.validation?.qualityScore ?? '—'}.`;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  editor.querySelectorAll('[data-field]').forEach((w) => { if (w.querySelector(':scope > .error')) setFieldError(editor, w.dataset.field, null); });
  const save = document.getElementById('save');
  save.disabled = true;
  const result = await api(`/api/jobs/${id}/stages/${stage}`, { method: 'PUT', body: draft });
  save.disabled = false;
  if (result.ok) {
    draft = result.data.content;
    showVersion(result.data);
    rerender();
    announce(`Saved as version ${result.data.version}. Later stages are stale until you rerun them.`);
    announce('', { error: true });
    return;
  }
  const unmatched = [];
  let first = null;
  for (const [field, messages] of Object.entries(result.problem?.errors ?? {})) {
    const message = [].concat(messages).join(' ');
    if (setFieldError(editor, field, message)) first ??= editor.querySelector(`[data-field="${CSS.escape(field)}"]`);
    else unmatched.push(message);
  }
  first?.querySelector('input, textarea, select')?.focus();
  announce([problemText(result.problem), ...unmatched].join('\n'), { error: true });
});

document.getElementById('reset').addEventListener('click', () => {
  draft = structuredClone(original);
  rerender();
  announce("The model's original is loaded; save to make it the latest version.");
});

document.getElementById('rerun').addEventListener('click', async () => {
  const result = await api(`/api/jobs/${id}/rerun`, { method: 'POST' });
  if (result.ok) location.assign(`/job.html?id=${id}`);
  else announce(problemText(result.problem), { error: true });
});

if (!isJobId(id)) {
  announce('This page needs a job id (edit.html?id=…).', { error: true });
} else {
  document.getElementById('back-job').href = `/job.html?id=${id}`;
  if (!(stage >= 1 && stage <= 5)) stage = 1;
  load();
}
