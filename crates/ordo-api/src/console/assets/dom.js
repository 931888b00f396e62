// HTML from templates whose values are escaped, and how values read: dates, ids, labels.

class Html {
  constructor(text) { this.text = text; }
  toString() { return this.text; }
}
const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (value) => String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]);

function part(value) {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(part).join('');
  if (value === null || value === undefined || value === false) return '';
  return esc(value);
}

/** A tagged template: values are escaped unless they are `html` themselves. */
export function html(strings, ...values) {
  let out = strings[0];
  for (let i = 0; i < values.length; i += 1) out += part(values[i]) + strings[i + 1];
  return new Html(out);
}
export const trusted = (text) => new Html(text);

export const consolePath = (kind, id) => `/console/${kind}/${encodeURIComponent(id)}`;
export const customerPath = (id) => `/console/customers/${encodeURIComponent(id)}`;

// v1 writes UTC as YYYY-MM-DDTHH:MM:SS; people read it in their own zone, UTC on hover.
const LOCAL = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const LOCAL_DAY = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
export function utcDate(text) {
  if (typeof text !== 'string') return null;
  const date = new Date(/[zZ]|[+-]\d\d:\d\d$/.test(text) ? text : `${text}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}
export function time(text, { day = false } = {}) {
  const date = utcDate(text);
  if (!date) return text == null ? html`<span class="note">—</span>` : html`${text}`;
  const utc = `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
  return html`<time datetime="${date.toISOString()}" title="${utc}">${(day ? LOCAL_DAY : LOCAL).format(date)}</time>`;
}

/** `shippingMethod` → `Shipping method`. */
export function label(key) {
  const words = String(key).replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/Id\b/g, 'id');
  return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase().replace(/\burl\b/, 'URL');
}

export const kindBadge = (kind) => html`<span class="kind kind-${kind.path}">${kind.label}</span>`;
