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

function timeline(documents) {
  const sorted = [...documents].sort((a, b) => {
    const x = a.doc.createdAt || ''; const y = b.doc.createdAt || '';
    return x < y ? 1 : x > y ? -1 : 0;
  });
  // One string for every row: thousands of rows are one parse, not thousands of DOM calls.
  const rows = sorted.map(({ kind, id, doc }) => html`<tr data-kind="${kind.path}" data-id="${id}">
<td>${time(doc.createdAt)}</td><td>${kindBadge(kind)}</td><td><a href="${consolePath(kind.path, id)}">${id}</a></td>
<td>${orderNumber(doc)}</td><td>${doc.status || ''}</td><td class="num">${money(doc.total, doc.currency)}</td><td class="hide-narrow">${doc.currency || ''}</td></tr>`);
  return html`<div class="scroll"><table class="timeline">
    <thead><tr><th>Created</th><th>Kind</th><th>Id</th><th>Order number</th><th>Status</th><th class="num">Total</th><th class="hide-narrow">Currency</th></tr></thead>
    <tbody>${rows}</tbody></table></div>`;
}

export async function customerPage(id) {
  let answer;
  if (lastRelations.customer === id && lastRelations.answer) {
    answer = lastRelations.answer;
  } else {
    answer = await get(relationsPath(id));
  }
  lastRelations.customer = null;
  lastRelations.answer = null;
  const documents = relationsDocuments(answer.payload);
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
  <p class="note">${documents.length} documents, newest first.</p>${timeline(documents)}</section>`,
  };
}
