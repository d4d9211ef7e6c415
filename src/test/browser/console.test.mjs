// The console end to end, in Debian's Chromium driven by playwright-core. ConsoleBrowserIT starts PortBank in
// development mode and runs this with PORTBANK_URL, OUT_DIR and RESULT_FILE; it fails (exit 1) at the first step
// that does not hold, and PortBank's own API is checked again in Java afterwards.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BASE = process.env.PORTBANK_URL ?? 'http://127.0.0.1:8080/';
const OUT = process.env.OUT_DIR ?? 'target/browser';
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const TIMEOUT = 15_000;
// PortBank's AUTH_OIDC_ISSUER: this script plays that provider, so the page's PKCE flow runs end to end.
const ISSUER = process.env.OIDC_ISSUER;

function step(text) {
  console.log(`console-test: ${text}`);
}

/** Calls PortBank's API directly, outside the browser: the independent check of what the page did. */
async function api(path, token) {
  const response = await fetch(new URL(path, BASE), { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200, `${path} answered ${response.status}`);
  return response.json();
}

async function devToken(subject, role) {
  const response = await fetch(new URL('dev/tokens', BASE), {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ subject, role }),
  });
  assert.equal(response.status, 200);
  return (await response.json()).token;
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'portbank-chromium-'));
  const problems = [];
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 960 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      timeout: 60_000,
    });
  } catch (e) {
    rmSync(profile, { recursive: true, force: true });
    throw new Error(`Chromium did not start from ${CHROMIUM}: ${e.message}`);
  }
  try {
    const page = context.pages()[0] ?? await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    // A blocked script, style or connection would break the page silently: report every CSP violation.
    await page.addInitScript(() => document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
    }));
    page.on('console', (message) => {
      // Refused API calls (4xx) are part of the scenario; Chromium logs each one as a failed resource.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        problems.push(`console: ${message.text()}`);
      }
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await scenario(page);
    assert.deepEqual(problems, [], 'no script errors and no Content-Security-Policy violations');
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

async function signIn(page, subject, role) {
  await page.fill('#dev-subject', subject);
  await page.selectOption('#dev-role', role);
  await page.click('#dev-form button[type="submit"]');
  await page.locator('#signed-in').waitFor();
  assert.equal(await page.textContent('#who-name'), subject);
}

async function signOut(page) {
  await page.click('#sign-out');
  await page.locator('#signed-out').waitFor();
}

const row = (page, id) => page.locator(`#accounts tbody tr[data-account-id="${id}"]`);

async function balanceOf(page, id, expected) {
  await page.locator(`#accounts tbody tr[data-account-id="${id}"] td.balance`, { hasText: expected }).waitFor();
}

async function openAccount(page, name) {
  const before = await page.locator('#accounts tbody tr').count();
  await page.fill('#open-currency', 'EUR');
  await page.fill('#open-name', name);
  await page.click('#open-form button[type="submit"]');
  await page.locator('#accounts tbody tr').nth(before).waitFor();
  return page.locator('#accounts tbody tr', { hasText: name }).getAttribute('data-account-id');
}

async function transfer(page, from, to, amount, reference) {
  await page.selectOption('#transfer-from', from);
  await page.fill('#transfer-to', to);
  await page.fill('#transfer-amount', amount);
  await page.fill('#transfer-reference', reference);
}

async function scenario(page) {
  step('the page loads with its security headers');
  const response = await page.goto(BASE);
  assert.equal(response.status(), 200);
  const csp = response.headers()['content-security-policy'];
  assert.match(csp, /script-src 'self'; style-src 'self'/);
  if (ISSUER) assert.ok(csp.includes(`connect-src 'self' ${new URL(ISSUER).origin};`), csp);
  await page.locator('#dev-sign-in').waitFor();

  step('a validation problem is shown next to its field');
  await page.fill('#dev-subject', '');
  await page.click('#dev-form button[type="submit"]');
  await page.locator('#dev-form [data-error-for="subject"]', { hasText: 'is required' }).waitFor();

  step('alice signs in as a customer and opens two accounts');
  await signIn(page, 'alice', 'customer');
  const savings = await openAccount(page, 'Savings');
  const checking = await openAccount(page, 'Checking');
  assert.ok(savings && checking && savings !== checking);
  await page.fill('#open-currency', 'QQQ');
  await page.click('#open-form button[type="submit"]');
  await page.locator('#open-form [data-error-for="currency"]', { hasText: 'ISO 4217' }).waitFor();

  step('an opening retried after a lost answer reuses its Idempotency-Key and opens one account');
  const openingKeys = [];
  await page.route('**/v1/accounts', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    openingKeys.push(route.request().headers()['idempotency-key']);
    if (openingKeys.length === 1) {
      await route.fetch(); // PortBank opens the account, but the answer never reaches the page
      await route.abort('connectionreset');
    } else {
      await route.continue();
    }
  });
  await page.fill('#open-currency', 'EUR');
  await page.fill('#open-name', 'Retried');
  await page.click('#open-form button[type="submit"]');
  await page.locator('#open-form .form-error', { hasText: 'open a second account' }).waitFor();
  await page.click('#open-form button[type="submit"]');
  await page.locator('#open-form .form-ok', { hasText: 'Opened Retried' }).waitFor();
  await page.unroute('**/v1/accounts');
  assert.equal(openingKeys.length, 2);
  assert.ok(openingKeys[0], 'the opening carried an Idempotency-Key');
  assert.equal(openingKeys[0], openingKeys[1], 'the retry reused the first attempt\'s key');
  await page.locator('#accounts tbody tr', { hasText: 'Retried' }).first().waitFor();
  assert.equal(await page.locator('#accounts tbody tr', { hasText: 'Retried' }).count(), 1);

  step('values from the API are shown as text, never as markup');
  await signOut(page);
  await signIn(page, 'bob', 'customer');
  const markup = '<img src=x onerror="alert(1)">';
  await openAccount(page, markup);
  assert.equal(await page.locator('#accounts img').count(), 0, 'an account name is shown as text, not markup');
  assert.equal(await page.locator('#accounts tbody td', { hasText: markup }).count(), 1);

  step('a teller deposits 100.00 EUR into Savings');
  await signOut(page);
  await signIn(page, 'tess', 'teller');
  await page.locator('#teller').waitFor();
  await page.selectOption('#cash-kind', 'deposits');
  await page.fill('#cash-account', savings);
  await page.fill('#cash-currency', 'EUR');
  await page.fill('#cash-amount', '100.00');
  await page.fill('#cash-reference', 'opening deposit');
  await page.click('#cash-submit');
  await page.locator('#cash-form .form-ok', { hasText: 'Deposited €100.00' }).waitFor();
  await balanceOf(page, savings, '€100.00');

  step('alice transfers 12.50 EUR; both balances and both histories update');
  await signOut(page);
  await signIn(page, 'alice', 'customer');
  assert.ok(await page.locator('#teller').isHidden(), 'a customer sees no teller forms');
  await balanceOf(page, savings, '€100.00');
  await transfer(page, savings, checking, '12.50', 'rent');
  await page.click('#transfer-submit');
  await page.locator('#transfer-form .form-ok', { hasText: 'Sent €12.50' }).waitFor();
  await balanceOf(page, savings, '€87.50');
  await balanceOf(page, checking, '€12.50');
  await row(page, savings).locator('button', { hasText: 'History' }).click();
  await page.locator('#entries tbody tr').nth(1).waitFor();
  assert.equal(await page.locator('#entries tbody tr').count(), 2);
  assert.equal(await page.textContent('#entries tbody tr:first-child td:nth-child(5)'), '-€12.50');
  assert.equal(await page.textContent('#entries tbody tr:first-child td:nth-child(4)'), 'rent');
  await page.locator('#chart svg path.line').waitFor();
  await row(page, checking).locator('button', { hasText: 'History' }).click();
  await page.locator('#history-name', { hasText: 'Checking' }).waitFor();
  await page.locator('#entries tbody tr td', { hasText: '+€12.50' }).waitFor();

  step('a double click on "Send money" pays once');
  await transfer(page, savings, checking, '5.00', 'double click');
  await page.dblclick('#transfer-submit');
  await page.locator('#transfer-form .form-ok', { hasText: 'Sent €5.00' }).waitFor();
  await balanceOf(page, checking, '€17.50');
  const alice = await devToken('alice', 'customer');
  await new Promise((resolve) => setTimeout(resolve, 500)); // a second payment, if any, would have landed by now
  assert.equal((await api(`v1/accounts/${checking}/balance`, alice)).balance, 1750);
  assert.equal((await api(`v1/accounts/${checking}/transactions`, alice)).items.length, 2);

  step('a retry after a lost answer reuses its Idempotency-Key and pays once');
  const keys = [];
  await page.route('**/v1/transfers', async (route) => {
    keys.push(route.request().headers()['idempotency-key']);
    if (keys.length === 1) {
      await route.fetch(); // PortBank moves the money, but the answer never reaches the page
      await route.abort('connectionreset');
    } else {
      await route.continue();
    }
  });
  await transfer(page, savings, checking, '2.50', 'lost answer');
  await page.click('#transfer-submit');
  await page.locator('#transfer-form .form-error', { hasText: 'cannot pay twice' }).waitFor();
  await page.click('#transfer-submit');
  await page.locator('#transfer-form .form-ok', { hasText: 'Sent €2.50' }).waitFor();
  await page.unroute('**/v1/transfers');
  assert.equal(keys.length, 2);
  assert.equal(keys[0], keys[1], 'the retry reused the first attempt\'s key');
  await balanceOf(page, checking, '€20.00');

  step('insufficient funds is shown next to the amount');
  await transfer(page, savings, checking, '1000.00', 'too much');
  await page.click('#transfer-submit');
  await page.locator('#transfer-form [data-error-for="amount"]', { hasText: 'Insufficient funds' }).waitFor();
  await balanceOf(page, savings, '€80.00');

  step('429 says when to try again');
  await page.route('**/v1/transfers', (route) => route.fulfill({
    status: 429,
    headers: { 'Content-Type': 'application/problem+json', 'Retry-After': '7' },
    body: JSON.stringify({ type: 'https://portbank.dev/problems/rate-limited', title: 'Too many requests',
      status: 429, detail: 'slow down' }),
  }));
  await transfer(page, savings, checking, '1.00', 'rate limited');
  await page.click('#transfer-submit');
  await page.locator('#transfer-form .form-error', { hasText: 'Try again in 7 seconds' }).waitFor();
  await page.unroute('**/v1/transfers');

  step('the history pages: ten movements a page, newer and older');
  for (let i = 1; i <= 8; i++) {
    const answer = await fetch(new URL('v1/transfers', BASE), {
      method: 'POST',
      headers: { Authorization: `Bearer ${alice}`, 'Content-Type': 'application/json', 'Idempotency-Key': `page-${i}` },
      body: JSON.stringify({ from: savings, to: checking, amount: 100, currency: 'EUR', reference: `monthly ${i}` }),
    });
    assert.equal(answer.status, 201);
  }
  await page.reload(); // the token survives a reload: it is kept in sessionStorage
  await page.locator('#signed-in').waitFor();
  await balanceOf(page, savings, '€72.00');
  await row(page, savings).locator('button', { hasText: 'History' }).click();
  await page.locator('#entries tbody tr').nth(9).waitFor();
  assert.equal(await page.locator('#entries tbody tr').count(), 10);
  assert.ok(await page.isDisabled('#entries-newer'));
  await page.click('#entries-older');
  await page.locator('#entries-page', { hasText: 'page 2' }).waitFor();
  assert.equal(await page.locator('#entries tbody tr').count(), 2);
  assert.equal(await page.textContent('#entries tbody tr:last-child td:nth-child(5)'), '+€100.00');
  assert.ok(await page.isDisabled('#entries-older'));
  await page.click('#entries-newer');
  await page.locator('#entries-page', { hasText: 'page 1' }).waitFor();
  assert.equal(await page.locator('#chart svg circle').count(), 13, 'the chart has the 12 movements and the start');

  step('screenshot of the console');
  await page.screenshot({ path: join(OUT, 'console.png'), fullPage: true });

  if (ISSUER) await providerSignIn(page);

  if (process.env.RESULT_FILE) {
    writeFileSync(process.env.RESULT_FILE, JSON.stringify({ owner: 'alice', savings, checking }));
  }
}

/**
 * A minimal OpenID provider on ISSUER: discovery, an authorization endpoint that signs "carol" in at once, and a
 * token endpoint that checks the PKCE verifier against the challenge before it hands out a (development) token.
 */
function fakeProvider() {
  const seen = { authorizations: 0, exchanges: 0 };
  const codes = new Map();
  const cors = { 'Access-Control-Allow-Origin': new URL(BASE).origin, 'Content-Type': 'application/json' };
  const server = createServer(async (request, response) => {
    const url = new URL(request.url, ISSUER);
    if (url.pathname.endsWith('/.well-known/openid-configuration')) {
      response.writeHead(200, cors).end(JSON.stringify({
        issuer: ISSUER, authorization_endpoint: `${ISSUER}/auth`, token_endpoint: `${ISSUER}/token`,
      }));
    } else if (url.pathname.endsWith('/auth')) {
      const q = url.searchParams;
      assert.equal(q.get('response_type'), 'code');
      assert.equal(q.get('client_id'), 'portbank-console');
      assert.equal(q.get('code_challenge_method'), 'S256');
      assert.equal(q.get('redirect_uri'), BASE);
      assert.ok(q.get('state') && q.get('code_challenge'));
      seen.authorizations++;
      codes.set('code-1', q.get('code_challenge'));
      const back = new URL(q.get('redirect_uri'));
      back.search = new URLSearchParams({ code: 'code-1', state: q.get('state') }).toString();
      response.writeHead(302, { Location: back.toString() }).end();
    } else if (url.pathname.endsWith('/token') && request.method === 'POST') {
      let body = '';
      for await (const chunk of request) body += chunk;
      const form = new URLSearchParams(body);
      const challenge = codes.get(form.get('code'));
      codes.delete(form.get('code'));
      const verified = challenge && form.get('grant_type') === 'authorization_code'
        && createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url') === challenge;
      if (!verified) {
        response.writeHead(400, cors).end(JSON.stringify({ error: 'invalid_grant' }));
        return;
      }
      seen.exchanges++;
      response.writeHead(200, cors).end(JSON.stringify({
        access_token: await devToken('carol', 'customer'), token_type: 'Bearer', expires_in: 300,
      }));
    } else {
      response.writeHead(404).end();
    }
  });
  return { server, seen };
}

async function providerSignIn(page) {
  step('sign-in with the provider: authorization code with PKCE, the code gone from the URL');
  const { server, seen } = fakeProvider();
  await new Promise((resolve) => server.listen(Number(new URL(ISSUER).port), '127.0.0.1', resolve));
  try {
    await signOut(page);
    await page.locator('#oidc-sign-in').waitFor();
    await page.click('#oidc-start');
    await page.locator('#signed-in').waitFor();
    assert.equal(await page.textContent('#who-name'), 'carol');
    assert.equal(page.url(), BASE, 'the code and state are removed from the address bar');
    assert.deepEqual(seen, { authorizations: 1, exchanges: 1 });
    await page.goBack().catch(() => {}); // the code is not in the history either: back leaves the console
    assert.ok(!page.url().includes('code='), `back led to ${page.url()}`);
  } finally {
    server.close();
  }
}

main().then(() => {
  step('passed');
}, (error) => {
  console.error(`console-test: FAILED: ${error.stack ?? error}`);
  process.exit(1);
});
