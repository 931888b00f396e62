// The only way the console reaches ordo: the public v1 API, with the key the person signed in
// with, kept in this tab's session storage and forgotten on sign-out.

const KEY = 'ordo.console.key';

export const session = {
  key: () => sessionStorage.getItem(KEY),
  signIn: (key) => sessionStorage.setItem(KEY, key),
  signOut: () => sessionStorage.clear(),
};

// The six kinds: path segment, id field, read scope, relations key, label.
export const KINDS = [
  { path: 'quote', idField: 'quoteId', scope: 'quotas', rel: 'quotas', label: 'Quote' },
  { path: 'order', idField: 'orderId', scope: 'orders', rel: 'orders', label: 'Order' },
  { path: 'return', idField: 'returnId', scope: 'returns', rel: 'returns', label: 'Return' },
  { path: 'vendor-quote', idField: 'quoteId', scope: 'vendor-quotas', rel: 'vendorQuotas', label: 'Vendor quote' },
  { path: 'vendor-order', idField: 'orderId', scope: 'vendor-orders', rel: 'vendorOrders', label: 'Vendor order' },
  { path: 'vendor-return', idField: 'returnId', scope: 'vendor-returns', rel: 'vendorReturns', label: 'Vendor return' },
];
export const kindByPath = (path) => KINDS.find((k) => k.path === path);

/** A v1 answer other than 2xx: its status and the error body's code and message. */
export class ApiError extends Error {
  constructor(status, body) {
    const error = body && body.error ? body.error : {};
    super(error.message || `HTTP ${status}`);
    this.status = status;
    this.code = error.code || '';
  }
}

// Numbers keep the digits they have on the wire (money is exact decimal; a float would round
// it): JSON.parse hands the reviver each number's source text.
function keepDigits(_key, value, context) {
  if (typeof value !== 'number') return value;
  return context && typeof context.source === 'string' ? context.source : String(value);
}

// The money fields of a document. A large answer (a customer's relations, megabytes) is read
// without a reviver, which would cost several times the parse: these fields' numbers are
// turned into strings in the text first. The pattern is exact for JSON: `"name":` with a bare
// quote before the colon can only be an object key, never text inside a string value, where
// every quote is escaped.
const MONEY_NUMBER = /"(total|unitPrice|tax|discount|shippingPrice|shippingTax|shippingDiscount|handlingFee|amount|cost|taxAmount|taxableTotal)":(-?[0-9][0-9.eE+-]*)/g;

/**
 * GET a v1 path; the payload (numbers as strings, or with `large` money only) and the raw
 * text of the answer.
 */
export async function get(path, { large = false } = {}) {
  let response;
  try {
    response = await fetch(path, {
      headers: { Authorization: `Bearer ${session.key() || ''}`, Accept: 'application/json' },
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (e) {
    const error = new ApiError(0, { error: { message: `ordo did not answer (${e.message})` } });
    throw error;
  }
  const text = await response.text();
  if (!response.ok) {
    let body = null;
    try { body = JSON.parse(text); } catch { /* not JSON: the status says enough */ }
    throw new ApiError(response.status, body);
  }
  const payload = large ? JSON.parse(text.replace(MONEY_NUMBER, '"$1":"$2"')).payload
    : JSON.parse(text, keepDigits).payload;
  return { payload, text };
}

export const docPath = (kind, id) => `/v1/${kind}/${encodeURIComponent(id)}`;
export const relationsPath = (customer) => `/v1/customer/${encodeURIComponent(customer)}/relations`;

/** Every document of a relations payload, each `{kind, id, doc}`, kinds in wire order. */
export function relationsDocuments(payload) {
  const out = [];
  const entities = payload.orderEntities || {};
  for (const kind of KINDS) {
    for (const doc of entities[kind.rel] || []) out.push({ kind, id: doc[kind.idField], doc });
  }
  return out;
}
