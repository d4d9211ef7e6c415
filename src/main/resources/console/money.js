// Amounts are integer minor units in the API; people type and read major units. No floating point on the way in.

/** How many minor digits a currency has (2 for EUR, 0 for JPY, 3 for KWD). */
export function digits(currency) {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
  } catch {
    return 2;
  }
}

/** "12.50" in EUR -> 1250; null if the text is not a positive amount with at most the currency's digits. */
export function toMinor(text, currency) {
  const d = digits(currency);
  const match = /^(\d{1,15})(?:[.,](\d*))?$/.exec(String(text).trim());
  if (!match) return null;
  const fraction = match[2] ?? '';
  if (fraction.length > d) return null;
  const minor = Number(match[1] + fraction.padEnd(d, '0'));
  return Number.isSafeInteger(minor) && minor > 0 ? minor : null;
}

/** 1250 in EUR -> "€12.50" (signed when asked). */
export function format(minor, currency, { signed = false } = {}) {
  const d = digits(currency);
  const value = Number(minor) / 10 ** d;
  try {
    return new Intl.NumberFormat('en', {
      style: 'currency', currency, minimumFractionDigits: d, maximumFractionDigits: d,
      signDisplay: signed ? 'exceptZero' : 'auto',
    }).format(value);
  } catch {
    return `${value.toFixed(d)} ${currency}`;
  }
}
