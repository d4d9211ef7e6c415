// Rendering of API data. Every value from the API goes into the page as text (textContent, option.text), never
// as markup.
import { format } from './money.js';

function cell(row, text, className = null) {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function shortId(id) {
  return `${String(id).slice(0, 8)}…`;
}

/** The accounts table; `onHistory(account)` runs when a row's History button is pressed. */
export function renderAccounts(table, accounts, selectedId, onHistory) {
  const body = table.tBodies[0];
  body.replaceChildren();
  for (const account of accounts) {
    const row = body.insertRow();
    row.dataset.accountId = account.id;
    if (account.id === selectedId) row.className = 'selected';
    cell(row, account.name);
    const id = cell(row, shortId(account.id), 'mono');
    id.title = account.id;
    cell(row, format(account.balance, account.currency), 'num balance');
    cell(row, account.status);
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'link';
    button.textContent = 'History';
    button.addEventListener('click', () => onHistory(account));
    row.insertCell().append(button);
  }
}

/** The "From" choices (open accounts only) and the id suggestions of the "To" and teller fields. */
export function renderAccountChoices(select, datalist, accounts) {
  const previous = select.value;
  select.replaceChildren();
  for (const account of accounts.filter((a) => a.status === 'OPEN')) {
    const label = `${account.name} · ${format(account.balance, account.currency)} · ${shortId(account.id)}`;
    select.append(new Option(label, account.id));
  }
  if ([...select.options].some((o) => o.value === previous)) select.value = previous;
  datalist.replaceChildren(...accounts.map((a) => new Option(`${a.name} (${a.currency})`, a.id)));
}

/** One page of an account's history. */
export function renderEntries(table, entries, currency) {
  const body = table.tBodies[0];
  body.replaceChildren();
  for (const entry of entries) {
    const row = body.insertRow();
    cell(row, new Date(entry.createdAt).toLocaleString());
    cell(row, String(entry.kind).toLowerCase());
    const counterparty = cell(row, entry.counterparty ? shortId(entry.counterparty) : '—', 'mono');
    if (entry.counterparty) counterparty.title = entry.counterparty;
    cell(row, entry.reference ?? '');
    cell(row, format(entry.amount, currency, { signed: true }), entry.amount < 0 ? 'num debit' : 'num credit');
    cell(row, format(entry.balanceAfter, currency), 'num');
  }
}
