// The console's entry: sign-in, the search box, and the pages, routed on location.pathname
// (History API): /console/, /console/search?q=, /console/customers/{id}, /console/{kind}/{id}.

import { ApiError, get, kindByPath, session } from './api.js';
import { customerPage } from './customer.js';
import { documentPage } from './document.js';
import { consolePath, customerPath, html, kindBadge } from './dom.js';
import { direct, find } from './search.js';

const main = document.getElementById('main');
const findForm = document.getElementById('find');
const signOutButton = document.getElementById('signout');
let shown = 0; // the navigation whose page may still be drawn

function show(content, title) {
  main.innerHTML = String(content);
  document.title = title ? `${title} · ordo console` : 'ordo console';
}

function loading(what) {
  main.setAttribute('aria-busy', 'true');
  show(html`<p class="status" role="status">Loading ${what}…</p>`, 'Loading');
}

/** What a failed v1 call means to the person at the desk. */
function problem(error, what) {
  if (!(error instanceof ApiError)) throw error;
  const detail = error.message ? html` <span class="note">ordo said: ${error.message}</span>` : '';
  let text;
  switch (error.status) {
    case 401: text = html`<strong>The key was refused (401).</strong> It is unknown, mistyped or revoked. <button type="button" class="signout-again">Sign out</button> and sign in with a valid key.`; break;
    case 403: text = html`<strong>This key may not read ${what} (403).</strong> It lacks the scope for it; ask for a key with that scope.`; break;
    case 404: text = html`<strong>${what} was not found (404).</strong> No such id, or not one this key may see.`; break;
    case 429: text = html`<strong>Too many requests (429).</strong> Wait a moment and try again.`; break;
    case 0: text = html`<strong>ordo did not answer.</strong> Check the connection and try again.`; break;
    default: text = html`<strong>ordo answered ${error.status}.</strong>`;
  }
  return html`<div class="problem" role="alert" data-status="${error.status}">${text}${detail}</div>`;
}

function signInPage(message) {
  findForm.hidden = true;
  signOutButton.hidden = true;
  show(html`<form class="signin card" id="signin">
  <h1>Sign in</h1>
  <p class="note">The console reads ordo through the v1 API with your key: you see what the key may see. The key stays in this tab until you sign out.</p>
  <label for="key">API key</label>
  <input id="key" name="key" type="password" required autocomplete="current-password" spellcheck="false">
  <button type="submit">Sign in</button>
  ${message ? html`<div id="signin-problem">${message}</div>` : ''}
</form>`, 'Sign in');
  const form = document.getElementById('signin');
  form.key.focus();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const key = form.key.value.trim();
    session.signIn(key);
    // Any v1 call tells a known key (200 or 403) from an unknown one (401).
    try {
      await get('/v1/order/?limit=1');
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        session.signOut();
        signInPage(html`<div class="problem" role="alert" data-status="401"><strong>The key was refused (401).</strong> It is unknown, mistyped or revoked: check it and try again.</div>`);
        return;
      }
      if (!(error instanceof ApiError) || error.status !== 403) {
        session.signOut();
        signInPage(problem(error, 'orders'));
        return;
      }
    }
    route();
  });
}

function signOut() {
  session.signOut();
  history.pushState(null, '', '/console/');
  signInPage(html`<p class="status" role="status">Signed out. The key is forgotten.</p>`);
}

function homePage() {
  return {
    title: null,
    body: html`<h1>Find a customer or a document</h1>
<section><p>Type a <strong>customer id</strong>, a <strong>document id</strong> (quote, order, return or vendor document), an <strong>order number</strong>, a <strong>product id</strong> or an <strong>MPN</strong> in the search box above.</p>
<p class="note">The console shows what your key may read: its tenant, its customer if it has one, and its scopes.</p></section>`,
  };
}

async function searchPage(q) {
  if (!q) return homePage();
  const { found, forbidden } = await find(q);
  const go = direct(found);
  if (go) {
    const to = go.type === 'customer' ? customerPath(go.id) : consolePath(go.kind.path, go.id);
    history.replaceState(null, '', to);
    return null; // routed again
  }
  const via = { id: 'id', 'order number': 'order number', 'holds product': 'holds this product', 'holds mpn': 'holds this MPN' };
  return {
    title: `Search ${q}`,
    body: html`<h1>Search: ${q}</h1>
${found.length ? html`<section><p>${found.length} matches.</p><ul class="results">${found.map((m) => (m.type === 'customer'
    ? html`<li data-type="customer"><a href="${customerPath(m.id)}">Customer ${m.id}</a> <span class="note">${m.count} documents</span></li>`
    : html`<li data-type="document" data-kind="${m.kind.path}">${kindBadge(m.kind)} <a href="${consolePath(m.kind.path, m.id)}">${m.kind.label} ${m.id}</a>
      <span class="note">${via[m.via]} · customer ${m.doc.customerId} · ${m.doc.status || ''}</span></li>`))}</ul></section>`
    : html`<div class="problem" role="alert" data-status="none"><strong>Nothing found for “${q}”.</strong> No customer, document, order number, product or MPN that this key may read.
${forbidden.length ? html` This key lacks the scopes ${forbidden.join(', ')}, so those were not searched.` : ''}</div>`}`,
  };
}

/** Draws the page of the current location. */
async function route() {
  const key = session.key();
  if (!key) { signInPage(); return; }
  findForm.hidden = false;
  signOutButton.hidden = false;
  const navigation = ++shown;
  delete main.dataset.page;
  delete main.dataset.pending;
  const started = performance.now();
  const parts = location.pathname.replace(/^\/console\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const query = new URLSearchParams(location.search).get('q') || '';
  let page; let what = 'this page';
  try {
    if (parts.length === 0) {
      page = homePage();
    } else if (parts[0] === 'search' && parts.length === 1) {
      what = 'this search'; loading(`results for “${query}”`);
      findForm.q.value = query;
      page = await searchPage(query);
      if (page === null) { if (navigation === shown) route(); return; }
    } else if (parts[0] === 'customers' && parts.length === 2) {
      what = `Customer ${parts[1]}`; loading(`customer ${parts[1]}`);
      page = await customerPage(parts[1]);
    } else if (parts.length === 2 && kindByPath(parts[0])) {
      const kind = kindByPath(parts[0]);
      what = `${kind.label} ${parts[1]}`; loading(`${kind.label.toLowerCase()} ${parts[1]}`);
      page = await documentPage(kind, parts[1]);
    } else {
      page = { title: 'Not found', body: html`<div class="problem" role="alert" data-status="404"><strong>The console has no such page.</strong> <a href="/console/">Start again</a>.</div>` };
    }
  } catch (error) {
    page = { title: 'Problem', body: problem(error, what) };
  }
  if (navigation !== shown) return; // another page was asked for meanwhile
  show(page.body, page.title);
  main.removeAttribute('aria-busy');
  void main.offsetHeight; // laid out: the time below is the time until the page can be seen
  main.dataset.renderMs = String(Math.round(performance.now() - started));
  main.dataset.page = location.pathname + location.search;
  if (page.after) page.after(main, started);
  main.focus({ preventScroll: true });
  window.scrollTo(0, 0);
}

function navigate(to) {
  history.pushState(null, '', to);
  route();
}

// Links of the console stay in the page; others (product pages) open as links do.
document.addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  if (event.target.closest('.signout-again')) { signOut(); return; }
  const a = event.target.closest('a');
  if (!a || a.getAttribute('target')) return;
  const href = a.getAttribute('href');
  if (!href || !href.startsWith('/console/')) return;
  event.preventDefault();
  navigate(href);
});
findForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const q = findForm.q.value.trim();
  if (q) navigate(`/console/search?q=${encodeURIComponent(q)}`);
});
signOutButton.addEventListener('click', signOut);
window.addEventListener('popstate', route);
route();
