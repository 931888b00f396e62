// A document's page: every field as people read it, then the raw v1 JSON.

import { docPath, get, kindByPath } from './api.js';
import { consolePath, customerPath, html, kindBadge, label, time } from './dom.js';
import { LINK_FIELDS } from './graph.js';
import { money, mul, parseDecimal } from './money.js';

const MONEY = new Set(['total', 'shippingPrice', 'shippingTax', 'shippingDiscount', 'handlingFee',
  'unitPrice', 'tax', 'discount', 'amount', 'cost', 'taxAmount', 'taxableTotal']);
const DATES = new Set(['createdAt', 'updatedAt', 'dueDate', 'paymentDate', 'shipDate', 'deliveryDate', 'lastDateToReturn']);
const URLS = new Set(['productUrl', 'trackingUrl', 'productImage']);
const ADDRESS_LINES = [['firstName', 'lastName'], ['company'], ['address1'], ['address2'], ['zip', 'city', 'state', 'stateProv', 'postalCode'], ['country']];
const CONTACT = ['email', 'phone', 'phoneNumber', 'mobileNumber', 'altPhone', 'fax', 'faxNumber'];

const empty = html`<span class="note">—</span>`;
const isEmpty = (v) => v === null || v === undefined || v === '';

/** One value as it reads: money with the document's currency, dates in the viewer's zone. */
function value(key, v, currency) {
  if (isEmpty(v)) return empty;
  if (MONEY.has(key) && typeof v === 'string') return money(v, currency);
  if (DATES.has(key)) return time(v);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (key === 'customerId') return html`<a href="${customerPath(v)}">${v}</a>`;
  if (URLS.has(key) && /^https?:\/\//.test(v)) return html`<a href="${v}" rel="noopener noreferrer" target="_blank">${v}</a>`;
  if (Array.isArray(v)) {
    if (v.length === 0) return empty;
    if (v.every((x) => typeof x !== 'object' || x === null)) return v.join(', ');
    return v.map((x, i) => html`<div class="card"><strong>${i + 1}.</strong> ${fields(x, currency)}</div>`);
  }
  if (typeof v === 'object') return fields(v, currency);
  return String(v);
}

/** Every field of an object (but `skip`), in wire order. */
function fields(obj, currency, skip = new Set()) {
  const keys = Object.keys(obj).filter((k) => !skip.has(k));
  if (!keys.length) return empty;
  return html`<dl class="fields">${keys.map((k) => html`<dt>${label(k)}</dt><dd data-field="${k}">${value(k, obj[k], currency)}</dd>`)}</dl>`;
}

function address(a) {
  if (!a) return empty;
  const lines = ADDRESS_LINES.map((names) => names.map((n) => a[n]).filter((x) => !isEmpty(x)).join(' ')).filter(Boolean);
  const contact = CONTACT.filter((n) => !isEmpty(a[n])).map((n) => html`<div>${label(n)}: ${a[n]}</div>`);
  const known = new Set([...ADDRESS_LINES.flat(), ...CONTACT]);
  const rest = Object.keys(a).filter((k) => !known.has(k) && !isEmpty(a[k]));
  return html`<address>${lines.join('\n')}</address>${contact}${rest.length ? fields(a, null, new Set(Object.keys(a).filter((k) => known.has(k)))) : ''}`;
}

function links(kind, doc) {
  const rows = [];
  for (const [field, parent] of LINK_FIELDS.PARENTS[kind.path] || []) {
    const id = doc[field];
    rows.push(html`<dt>${label(field)}</dt><dd class="ids" data-field="${field}">${isEmpty(id) ? empty
      : html`<a href="${consolePath(parent, String(id))}">${kindByPath(parent).label} ${id}</a>`}</dd>`);
  }
  for (const [field, child] of LINK_FIELDS.CHILDREN[kind.path] || []) {
    const ids = doc[field] || [];
    rows.push(html`<dt>${label(field)}</dt><dd class="ids" data-field="${field}">${ids.length ? ids.map((id) => html`<a href="${consolePath(child, String(id))}">${kindByPath(child).label} ${id}</a> `) : empty}</dd>`);
  }
  return rows.length ? html`<dl class="fields">${rows}</dl>` : html`<p class="note">A ${kind.label.toLowerCase()} has no links.</p>`;
}

function items(list, currency) {
  if (!list || !list.length) return html`<p class="note">No items.</p>`;
  const rows = list.map((item) => {
    const price = parseDecimal(item.unitPrice); const quantity = parseDecimal(item.quantity);
    const line = price && quantity ? mul(price, quantity) : null;
    return html`<tr>
<td class="num">${item.linePosition ?? ''}</td>
<td>${item.itemName || ''}${item.productUrl && /^https?:\/\//.test(item.productUrl) ? html` <a href="${item.productUrl}" rel="noopener noreferrer" target="_blank">(product page)</a>` : ''}
  <details><summary>All fields</summary>${fields(item, currency, new Set(['itemName']))}</details></td>
<td>${isEmpty(item.productId) ? '' : html`<a href="/console/search?q=${encodeURIComponent(item.productId)}">${item.productId}</a>`}</td>
<td>${item.mpn || ''}</td>
<td class="num">${item.quantity ?? ''}</td><td class="num">${money(item.unitPrice, currency)}</td>
<td class="num">${money(item.tax, currency)}</td><td class="num">${money(item.discount, currency)}</td>
<td class="num line-total">${line ? money(line, currency) : '—'}</td></tr>`;
  });
  return html`<div class="scroll"><table class="items"><thead><tr><th class="num">#</th><th>Item</th><th>Product</th><th>MPN</th>
<th class="num">Qty</th><th class="num">Unit price</th><th class="num">Tax</th><th class="num">Discount</th><th class="num">Line total</th></tr></thead>
<tbody>${rows}</tbody></table></div><p class="note">Line total: unit price × quantity, before tax and discount.</p>`;
}

/** A table of objects: one column per field any of them has. */
function table(list, currency, cls) {
  const keys = [...new Set(list.flatMap((x) => Object.keys(x)))];
  return html`<div class="scroll"><table class="${cls}"><thead><tr>${keys.map((k) => html`<th>${label(k)}</th>`)}</tr></thead>
<tbody>${list.map((x) => html`<tr>${keys.map((k) => html`<td data-field="${k}">${value(k, x[k], currency)}</td>`)}</tr>`)}</tbody></table></div>`;
}

function shipments(list, currency) {
  return list.map((s, i) => {
    const { packages, ...rest } = s;
    return html`<div class="card shipment"><h3>Shipment ${i + 1}</h3>${Object.keys(rest).length ? fields(rest, currency) : ''}
${packages && packages.length ? html`<h3>Packages</h3>${table(packages, currency, 'packages')}` : html`<p class="note">No packages.</p>`}</div>`;
  });
}

function notes(list) {
  return html`<ul class="results">${list.map((n) => html`<li class="note-item">${n.message || ''}
<div class="note">${[n.author || n.createdBy, n.createdAt ? time(n.createdAt) : null].filter(Boolean).map((x, i) => html`${i ? ' · ' : ''}${x}`)}</div>
${fields(n, null, new Set(['message']))}</li>`)}</ul>`;
}

/** Raw JSON, indented, every character of the answer's values kept. */
export function pretty(text) {
  let out = ''; let depth = 0; let inString = false; let escaped = false;
  const newline = () => `\n${'  '.repeat(depth)}`;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (inString) {
      out += c;
      if (escaped) escaped = false; else if (c === '\\') escaped = true; else if (c === '"') inString = false;
    } else if (c === '"') { inString = true; out += c; } else if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      if (text[i + 1] === close) { out += c + close; i += 1; } else { depth += 1; out += c + newline(); }
    } else if (c === '}' || c === ']') { depth -= 1; out += newline() + c; } else if (c === ',') { out += `,${newline()}`; } else if (c === ':') { out += ': '; } else if (!/\s/.test(c)) { out += c; }
  }
  return out;
}

const SECTIONS = new Set(['items', 'payments', 'shipments', 'notes', 'billing', 'shipping', 'currentStatus', 'status', 'statusId']);

export async function documentPage(kind, id) {
  const { payload: doc, text } = await get(docPath(kind.path, id));
  const currency = doc.currency || null;
  const linkFields = new Set([...(LINK_FIELDS.PARENTS[kind.path] || []), ...(LINK_FIELDS.CHILDREN[kind.path] || [])].map(([f]) => f));
  const skip = new Set([...SECTIONS, ...linkFields]);
  const scalar = Object.keys(doc).filter((k) => !skip.has(k) && (doc[k] === null || typeof doc[k] !== 'object'));
  const nested = Object.keys(doc).filter((k) => !skip.has(k) && doc[k] !== null && typeof doc[k] === 'object');
  const status = doc.currentStatus ? doc.currentStatus.name : doc.status;
  const statusId = doc.currentStatus ? doc.currentStatus.id : doc.statusId;
  return {
    title: `${kind.label} ${id}`,
    body: html`<h1>${kindBadge(kind)} ${kind.label} ${id} <span class="badge" title="Status id ${statusId ?? '—'}">${status || 'no status'}</span></h1>
<section aria-labelledby="h-overview"><h2 id="h-overview">Overview</h2>
  <dl class="fields"><dt>Status</dt><dd data-field="status">${status || empty} <span class="note">(id ${statusId ?? '—'})</span></dd>
  ${scalar.map((k) => html`<dt>${label(k)}</dt><dd data-field="${k}">${value(k, doc[k], currency)}</dd>`)}</dl></section>
<section aria-labelledby="h-links"><h2 id="h-links">Links</h2>${links(kind, doc)}</section>
${'billing' in doc || 'shipping' in doc ? html`<section aria-labelledby="h-addresses"><h2 id="h-addresses">Addresses</h2><div class="columns">
  <div class="address" data-field="billing"><h3>Billing</h3>${address(doc.billing)}</div>
  <div class="address" data-field="shipping"><h3>Shipping</h3>${address(doc.shipping)}</div></div></section>` : ''}
<section aria-labelledby="h-items"><h2 id="h-items">Items</h2>${items(doc.items, currency)}</section>
${'payments' in doc ? html`<section aria-labelledby="h-payments"><h2 id="h-payments">Payments</h2>${doc.payments && doc.payments.length ? table(doc.payments, currency, 'payments') : html`<p class="note">No payments.</p>`}</section>` : ''}
${'shipments' in doc ? html`<section aria-labelledby="h-shipments"><h2 id="h-shipments">Shipments</h2>${doc.shipments && doc.shipments.length ? shipments(doc.shipments, currency) : html`<p class="note">No shipments.</p>`}</section>` : ''}
<section aria-labelledby="h-notes"><h2 id="h-notes">Notes</h2>${doc.notes && doc.notes.length ? notes(doc.notes) : html`<p class="note">No notes.</p>`}</section>
${nested.length ? html`<section aria-labelledby="h-more"><h2 id="h-more">More</h2>${fields(doc, currency, new Set(Object.keys(doc).filter((k) => !nested.includes(k))))}</section>` : ''}
<section><details class="raw"><summary>JSON</summary><p class="note">The v1 answer of <code>GET ${docPath(kind.path, id)}</code>.</p><pre class="json">${pretty(text)}</pre></details></section>`,
  };
}
