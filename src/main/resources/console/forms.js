// Forms: read values, show each problem next to the field it concerns, and send each submission once.
import { newKey, slug } from './api.js';

/** The form's values by input name, trimmed. */
export function values(form) {
  const out = {};
  for (const element of form.elements) {
    if (element.name) out[element.name] = element.value.trim();
  }
  return out;
}

export function clearMessages(form) {
  for (const element of form.querySelectorAll('.field-error, .form-error, .form-ok')) element.textContent = '';
  for (const element of form.querySelectorAll('[aria-invalid]')) element.removeAttribute('aria-invalid');
}

/** A message under one field (or at the foot of the form when the form has no such field). */
export function fieldError(form, field, message) {
  const slot = form.querySelector(`[data-error-for="${CSS.escape(field)}"]`);
  if (!slot) {
    formError(form, message);
    return;
  }
  slot.textContent = slot.textContent ? `${slot.textContent} ${message}` : message;
  const input = form.elements.namedItem(field);
  if (input && input.setAttribute) input.setAttribute('aria-invalid', 'true');
}

export function formError(form, message) {
  const slot = form.querySelector('.form-error');
  slot.textContent = slot.textContent ? `${slot.textContent} ${message}` : message;
}

export function formOk(form, message) {
  form.querySelector('.form-ok').textContent = message;
}

/**
 * Shows a problem as readable text: each entry of a validation problem's `errors` under its field, a refusal
 * such as insufficient-funds under the field `fieldFor` names for its slug, anything else at the foot of the form;
 * 429 and 503 say when to try again.
 */
export function showProblem(form, answer, fieldFor = {}) {
  const problem = answer.problem;
  const errors = Array.isArray(problem.errors) ? problem.errors : [];
  const fieldErrors = errors.filter((e) => e && typeof e.field === 'string' && typeof e.message === 'string');
  if (fieldErrors.length) {
    for (const error of fieldErrors) fieldError(form, error.field, `${label(error.field)} ${error.message}.`);
    return;
  }
  const text = describe(answer);
  const field = fieldFor[slug(problem)];
  if (field) fieldError(form, field, text);
  else formError(form, text);
}

/** One sentence for a problem: its detail (or title), and for 429 and 503 when to try again. */
export function describe(answer) {
  const problem = answer.problem;
  const title = typeof problem.title === 'string' ? problem.title : 'Refused';
  const detail = typeof problem.detail === 'string' ? problem.detail : '';
  let text = detail ? `${title}: ${detail}` : title;
  if (answer.status === 429 || answer.status === 503) {
    text += answer.retryAfter === null
      ? ' Try again in a moment.'
      : ` Try again in ${answer.retryAfter} second${answer.retryAfter === 1 ? '' : 's'}.`;
  }
  if (!/[.!?]$/.test(text)) text += '.';
  return text;
}

function label(field) {
  const name = field.slice(field.lastIndexOf('.') + 1);
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/**
 * Wires a form that must take effect once: a movement, an account opening. Each submission gets a new
 * Idempotency-Key; sending the same values again after an answer that may change (no answer, 429, 5xx) reuses it,
 * so a retry can never pay twice or open a second account. The button is disabled while a submission is in flight,
 * so a double click sends one request.
 *   prepare(form) -> {body} or {errors: {field: message}}
 *   send(body, key) -> Promise<Answer>
 *   done(answer, body) runs after every answer.
 */
export function keyedForm(form, { prepare, send, done }) {
  let pending = null; // { text, key } of the submission whose outcome is not final yet
  onSubmitOnce(form, async () => {
    const prepared = prepare(form);
    if (prepared.errors) {
      for (const [field, message] of Object.entries(prepared.errors)) fieldError(form, field, message);
      return;
    }
    const text = JSON.stringify(prepared.body);
    if (!pending || pending.text !== text) pending = { text, key: newKey() };
    const answer = await send(prepared.body, pending.key);
    if (!answer.retryable) pending = null;
    await done(answer, prepared.body);
  });
}

/** Wires a form whose submission changes nothing twice (sign-in): disabled while in flight. */
export function plainForm(form, submit) {
  onSubmitOnce(form, () => submit(values(form)));
}

/** Runs handler on submit with the button disabled until it settles, so a double click submits once. */
function onSubmitOnce(form, handler) {
  const button = form.querySelector('button[type="submit"]');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (button.disabled) return;
    button.disabled = true;
    clearMessages(form);
    try {
      await handler();
    } finally {
      button.disabled = false;
    }
  });
}
