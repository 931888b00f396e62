// A customer's page: counts and totals per kind, the link graph, and every document on a
// timeline, newest first.

import { KINDS, get, relationsDocuments, relationsPath } from './api.js';
import { consolePath, html, kindBadge, time, trusted } from './dom.js';
import { graph } from './graph.js';
import { ZERO, add, money, parseDecimal } from './money.js';
import { lastRelations } from './search.js';

const orderNumber = (doc) => doc.orderNumber || doc.externalReferenceId || '';

/** Per kind: how many documents, and their totals per currency (exact). */
function summary(documents) {
  const rows = KINDS.map((kind) => ({ kind, count: 0, totals: new Map() }));
  for (const { kind, doc } of documents) {
    const row = rows[KINDS.indexOf(kind)];
    row.count += 1;
    const total = doc.total === null || doc.total === undefined ? null : parseDecimal(doc.total);
    if (total) {
      const currency = doc.currency || '';
      row.totals.set(currency, add(row.totals.get(currency) || ZERO, total));
    }
  }
  return html`<div class="scroll"><table class="summary">
    <thead><tr><th>Kind</th><th class="num">Documents</th><th class="num">Total</th></tr></thead>
    <tbody>${rows.map((r) => html`<tr data-kind="${r.kind.path}"><td>${kindBadge(r.kind)}</td><td class="num">${r.count}</td>
      <td class="num">${r.totals.size ? [...r.totals].map(([c, t], i) => html`${i ? trusted('<br>') : ''}${money(t, c)}`) : '—'}</td></tr>`)}</tbody>
  </table></div>`;
}

const row = ({ kind, id, doc }) => html`<tr data-kind="${kind.path}" data-id="${id}">
<td>${time(doc.createdAt)}</td><td>${kindBadge(kind)}</td><td><a href="${consolePath(kind.path, id)}">${id}</a></td>
<td>${orderNumber(doc)}</td><td>${doc.status || ''}</td><td class="num">${money(doc.total, doc.currency)}</td><td class="hide-narrow">${doc.currency || ''}</td></tr>`;

// The first rows are drawn with the page; the rest follow in pieces, each after the browser
// has had a turn to paint, so that a customer of thousands of documents shows at once.
const FIRST_ROWS = 150;
const MORE_ROWS = 500;

function timeline(sorted) {
  return html`<div class="scroll"><table class="timeline">
    <colgroup><col class="c-date"><col class="c-kind"><col class="c-id"><col class="c-number"><col class="c-status"><col class="c-total"><col class="c-currency hide-narrow"></colgroup>
    <thead><tr><th>Created</th><th>Kind</th><th>Id</th><th>Order number</th><th>Status</th><th class="num">Total</th><th class="hide-narrow">Currency</th></tr></thead>
    <tbody>${sorted.slice(0, FIRST_ROWS).map(row)}</tbody></table></div>`;
}

/** Appends the rows after the first to the timeline on the page, piece by piece. */
function moreRows(main, sorted, started) {
  if (sorted.length <= FIRST_ROWS) return;
  const body = main.querySelector('table.timeline tbody');
  main.dataset.pending = 'rows';
  let at = FIRST_ROWS;
  const step = () => {
    if (!body.isConnected) return; // another page took its place
    body.insertAdjacentHTML('beforeend', String(html`${sorted.slice(at, at + MORE_ROWS).map(row)}`));
    at += MORE_ROWS;
    if (at < sorted.length) { setTimeout(step, 0); return; }
    delete main.dataset.pending;
    void main.offsetHeight;
    main.dataset.allRowsMs = String(Math.round(performance.now() - started));
  };
  setTimeout(step, 0);
}

const newestFirst = (documents) => [...documents].sort((a, b) => {
  const x = a.doc.createdAt || ''; const y = b.doc.createdAt || '';
  return x < y ? 1 : x > y ? -1 : 0;
});

export async function customerPage(id) {
  let answer;
  if (lastRelations.customer === id && lastRelations.answer) {
    answer = lastRelations.answer;
  } else {
    answer = await get(relationsPath(id), { large: true });
  }
  lastRelations.customer = null;
  lastRelations.answer = null;
  const documents = relationsDocuments(answer.payload);
  const sorted = newestFirst(documents);
  const drawn = graph(documents);
  return {
    title: `Customer ${id}`,
    body: html`<h1>Customer ${id}</h1>
<section aria-labelledby="h-summary"><h2 id="h-summary">Documents by kind</h2>${summary(documents)}</section>
<section aria-labelledby="h-graph"><h2 id="h-graph">Links</h2>
  <p class="note">Arrows go from a document to the one made from it: quote → order → replacement orders and returns; a customer order → the vendor orders that supply it. Dashed boxes are linked documents that are not this customer's. Each box opens its document.</p>
  ${drawn.note ? html`<p class="note graph-note">${drawn.note}</p>` : ''}
  <div class="graph-wrap">${trusted(drawn.svg)}</div></section>
<section aria-labelledby="h-timeline"><h2 id="h-timeline">Timeline</h2>
  <p class="note">${documents.length} documents, newest first.</p>${timeline(sorted)}</section>`,
    after: (main, started) => moreRows(main, sorted, started),
  };
}
