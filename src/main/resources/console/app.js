// The console: sign-in, accounts, transfers, the teller's deposits and withdrawals, and history with a chart.
// Plain ES modules served by PortBank itself; no build step.
import { call } from './api.js';
import { balanceChart } from './chart.js';
import {
  clearMessages, describe, fieldError, formOk, keyedForm, plainForm, showProblem, values,
} from './forms.js';
import { format, toMinor } from './money.js';
import { beginSignIn, completeSignIn, providerFrom } from './oidc.js';
import { claims, forgetToken, saveToken, savedToken } from './session.js';
import { renderAccountChoices, renderAccounts, renderEntries } from './views.js';

const $ = (id) => document.getElementById(id);
const PAGE = 10;
const CHART_ENTRIES = 200;

const state = {
  token: null,
  who: null,
  accounts: [],
  accountsNext: null,
  selected: null, // the account whose history is shown
  cursors: [null], // the `after` of each history page seen; the last is the one shown
  nextCursor: null,
};

// ---- signing in and out

function signIn(token) {
  const who = claims(token);
  if (!who || !who.subject) return false;
  state.token = token;
  state.who = who;
  saveToken(token);
  $('who-name').textContent = who.subject;
  $('who-roles').textContent = who.roles.join(', ');
  $('who').hidden = false;
  $('signed-out').hidden = true;
  $('signed-in').hidden = false;
  $('teller').hidden = !who.roles.some((r) => r === 'teller' || r === 'admin');
  notice('');
  refreshAccounts();
  return true;
}

function signOut(message = '') {
  forgetToken();
  Object.assign(state, { token: null, who: null, accounts: [], selected: null, cursors: [null], nextCursor: null });
  $('who').hidden = true;
  $('signed-in').hidden = true;
  $('signed-out').hidden = false;
  $('history').hidden = true;
  // Nothing of the last user stays in the page for the next one.
  showAccounts();
  $('entries').tBodies[0].replaceChildren();
  $('chart').replaceChildren();
  for (const form of $('signed-in').querySelectorAll('form')) clearMessages(form);
  notice(message);
}

function notice(message) {
  $('notice').textContent = message;
  $('notice').hidden = !message;
}

/** Calls the API as the signed-in user; an expired or refused token signs out with the reason. */
async function api(method, path, options = {}) {
  const answer = await call(method, path, { ...options, token: state.token });
  if (answer.status === 401) signOut(`Signed out: ${describe(answer)}`);
  return answer;
}

// ---- accounts

async function refreshAccounts() {
  const token = state.token;
  const answer = await api('GET', 'v1/accounts?limit=200');
  if (state.token !== token) return; // signed out or in as someone else meanwhile
  $('accounts-error').textContent = answer.ok ? '' : describe(answer);
  if (!answer.ok) return;
  state.accounts = answer.body.items;
  state.accountsNext = answer.body.next;
  showAccounts();
}

async function moreAccounts() {
  const token = state.token;
  const answer = await api('GET', `v1/accounts?limit=200&after=${encodeURIComponent(state.accountsNext)}`);
  if (state.token !== token) return;
  $('accounts-error').textContent = answer.ok ? '' : describe(answer);
  if (!answer.ok) return;
  state.accounts = state.accounts.concat(answer.body.items);
  state.accountsNext = answer.body.next;
  showAccounts();
}

function showAccounts() {
  renderAccounts($('accounts'), state.accounts, state.selected?.id, (account) => showHistory(account));
  renderAccountChoices($('transfer-from'), $('known-accounts'), state.accounts);
  $('accounts-empty').hidden = state.accounts.length > 0;
  $('accounts-more').hidden = !state.accountsNext;
  if (state.selected) {
    const fresh = state.accounts.find((a) => a.id === state.selected.id);
    if (fresh) state.selected = fresh;
  }
}

// ---- history

async function showHistory(account, cursors = [null]) {
  state.selected = account;
  state.cursors = cursors;
  $('history').hidden = false;
  $('history-name').textContent = account.name;
  $('history-id').textContent = `${account.id} · ${account.currency}`;
  for (const row of $('accounts').tBodies[0].rows) {
    row.classList.toggle('selected', row.dataset.accountId === account.id);
  }
  const after = cursors.at(-1);
  const query = `limit=${PAGE}${after ? `&after=${encodeURIComponent(after)}` : ''}`;
  const [page, recent] = await Promise.all([
    api('GET', `v1/accounts/${encodeURIComponent(account.id)}/transactions?${query}`),
    api('GET', `v1/accounts/${encodeURIComponent(account.id)}/transactions?limit=${CHART_ENTRIES}`),
  ]);
  if (state.selected?.id !== account.id || state.cursors !== cursors) return; // another page was asked for meanwhile
  $('history-error').textContent = page.ok ? '' : describe(page);
  if (!page.ok) return;
  state.nextCursor = page.body.next;
  renderEntries($('entries'), page.body.items, account.currency);
  $('entries-empty').hidden = page.body.items.length > 0;
  $('entries-newer').disabled = cursors.length <= 1;
  $('entries-older').disabled = !page.body.next;
  $('entries-page').textContent = `page ${cursors.length}`;
  const chart = recent.ok ? balanceChart(recent.body.items, account.currency) : null;
  $('chart').replaceChildren(...(chart ? [chart] : []));
}

function refreshHistory() {
  if (state.selected) showHistory(state.selected, [null]);
}

// ---- forms

function wireSignIn() {
  plainForm($('token-form'), async ({ token }) => {
    const form = $('token-form');
    const bare = token.replace(/^Bearer\s+/i, '');
    if (!claims(bare)) {
      fieldError(form, 'token', 'This is not a JWT (three base64url parts separated by dots).');
      return;
    }
    const answer = await call('GET', 'v1/accounts?limit=1', { token: bare });
    if (!answer.ok) {
      fieldError(form, 'token', describe(answer));
      return;
    }
    form.reset();
    signIn(bare);
  });

  if (document.body.dataset.devSignIn === 'true') {
    $('dev-sign-in').hidden = false;
    plainForm($('dev-form'), async ({ subject, role }) => {
      const form = $('dev-form');
      const answer = await call('POST', 'dev/tokens', { body: { subject, role } });
      if (!answer.ok) {
        showProblem(form, answer);
        return;
      }
      signIn(answer.body.token);
    });
  }

  const provider = providerFrom(document.body);
  if (provider) {
    $('oidc-sign-in').hidden = false;
    $('oidc-issuer').textContent = `Provider: ${provider.issuer}`;
    $('oidc-start').addEventListener('click', async () => {
      $('oidc-error').textContent = '';
      try {
        await beginSignIn(provider);
      } catch (e) {
        $('oidc-error').textContent = `Cannot sign in: ${e.message}.`;
      }
    });
  }
  $('sign-out').addEventListener('click', () => signOut());
  return provider;
}

function wireOpenAccount() {
  const form = $('open-form');
  keyedForm(form, {
    prepare: () => {
      const { currency, name } = values(form);
      const body = { currency: currency.toUpperCase() };
      if (name) body.name = name;
      return { body };
    },
    send: (body, key) => api('POST', 'v1/accounts', { body, idempotencyKey: key }),
    done: async (answer) => {
      if (!answer.ok) {
        showProblem(form, answer);
        return;
      }
      formOk(form, `Opened ${answer.body.name} (${answer.body.currency}).`);
      form.elements.namedItem('name').value = '';
      await refreshAccounts();
    },
  });
}

/** Amount text to minor units in `currency`, or an error message for the amount field. */
function amountOrError(text, currency, errors) {
  const minor = toMinor(text, currency);
  if (minor === null) errors.amount = `Enter a positive amount in ${currency}, e.g. ${format(1250, currency).replace(/[^\d.,]/g, '')}.`;
  return minor;
}

function wireTransfer() {
  const form = $('transfer-form');
  keyedForm(form, {
    prepare: () => {
      const v = values(form);
      const errors = {};
      const from = state.accounts.find((a) => a.id === v.from);
      if (!from) errors.from = 'Choose an account to pay from.';
      if (!v.to) errors.to = 'Enter the account id to pay.';
      const amount = from ? amountOrError(v.amount, from.currency, errors) : null;
      if (Object.keys(errors).length) return { errors };
      const body = { from: v.from, to: v.to, amount, currency: from.currency };
      if (v.reference) body.reference = v.reference;
      return { body };
    },
    send: (body, key) => api('POST', 'v1/transfers', { body, idempotencyKey: key }),
    done: async (answer, body) => {
      if (answer.ok) {
        formOk(form, `Sent ${format(body.amount, body.currency)}.`);
        form.elements.namedItem('amount').value = '';
        form.elements.namedItem('reference').value = '';
      } else {
        showProblem(form, answer, {
          'insufficient-funds': 'amount', 'balance-limit': 'amount', 'same-account': 'to',
          'currency-mismatch': 'to', 'account-closed': 'to', 'account-not-found': 'to', 'not-found': 'to',
        });
      }
      await refreshAccounts();
      refreshHistory();
    },
  });
}

function wireCash() {
  const form = $('cash-form');
  // A known account brings its currency along.
  $('cash-account').addEventListener('change', () => {
    const account = state.accounts.find((a) => a.id === $('cash-account').value.trim());
    if (account) $('cash-currency').value = account.currency;
  });
  keyedForm(form, {
    prepare: () => {
      const v = values(form);
      const errors = {};
      const currency = v.currency.toUpperCase();
      if (!/^[A-Z]{3}$/.test(currency)) errors.currency = 'Enter a currency code such as EUR.';
      if (!v.account) errors.account = 'Enter the account id.';
      const amount = errors.currency ? null : amountOrError(v.amount, currency, errors);
      if (Object.keys(errors).length) return { errors };
      const body = { account: v.account, amount, currency };
      if (v.reference) body.reference = v.reference;
      return { body: { kind: v.kind, ...body } };
    },
    send: ({ kind, ...body }, key) => api('POST', `v1/${kind}`, { body, idempotencyKey: key }),
    done: async (answer, { kind, ...body }) => {
      if (answer.ok) {
        formOk(form, `${kind === 'deposits' ? 'Deposited' : 'Withdrew'} ${format(body.amount, body.currency)}.`);
        form.elements.namedItem('amount').value = '';
        form.elements.namedItem('reference').value = '';
      } else {
        showProblem(form, answer, {
          'insufficient-funds': 'amount', 'balance-limit': 'amount', 'currency-mismatch': 'currency',
          'account-closed': 'account', 'account-not-found': 'account', 'teller-own-account': 'account',
          'not-found': 'account',
        });
      }
      await refreshAccounts();
      refreshHistory();
    },
  });
}

function wireHistory() {
  $('entries-older').addEventListener('click', () => {
    if (state.selected && state.nextCursor) showHistory(state.selected, state.cursors.concat(state.nextCursor));
  });
  $('entries-newer').addEventListener('click', () => {
    if (state.selected && state.cursors.length > 1) showHistory(state.selected, state.cursors.slice(0, -1));
  });
  $('accounts-more').addEventListener('click', moreAccounts);
}

async function start() {
  const provider = wireSignIn();
  wireOpenAccount();
  wireTransfer();
  wireCash();
  wireHistory();
  try {
    const token = await completeSignIn(provider);
    if (token && signIn(token)) return;
  } catch (e) {
    notice(`Sign-in failed: ${e.message}.`);
    return;
  }
  const saved = savedToken();
  if (saved && !signIn(saved)) forgetToken();
}

start();
