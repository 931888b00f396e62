// Find: one text that may be a customer id, a document id, an order number, a product id or an
// mpn. Every reading is asked of the v1 API at once; what the key may not read (403) or what
// does not exist (404) simply finds nothing.

import { ApiError, KINDS, docPath, get, relationsPath } from './api.js';

// The list filters of v1 a search tries, each with how a match reads.
const FILTERS = [
  ['orderNumber', 'order number'],
  ['productId', 'holds product'],
  ['mpn', 'holds mpn'],
];
const LIMIT = 100;

/** A customer's relations fetched by the last search, kept for the page it then opens. */
export const lastRelations = { customer: null, answer: null };

// 400: a filter this server does not have, or a text that cannot be an id; 403: a scope the
// key lacks (noted, so that an empty search can say so); 404: nothing of that id.
const quiet = (forbidden, scope) => (error) => {
  if (!(error instanceof ApiError) || ![400, 403, 404].includes(error.status)) throw error;
  if (error.status === 403) forbidden.add(scope);
  return [];
};

/**
 * Everything `text` names: `found` holds `{type: 'customer', id, count}` and
 * `{type: 'document', kind, id, doc, via}`, documents once each; `forbidden` the scopes the key
 * lacked. Throws on a 401.
 */
export async function find(text) {
  const q = text.trim();
  const asked = [];
  const forbidden = new Set();
  asked.push(get(relationsPath(q), { large: true }).then((answer) => {
    lastRelations.customer = q;
    lastRelations.answer = answer;
    const entities = answer.payload.orderEntities || {};
    const count = KINDS.reduce((n, k) => n + (entities[k.rel] || []).length, 0);
    return [{ type: 'customer', id: q, count }];
  }, quiet(forbidden, 'customers:relations')));
  for (const kind of KINDS) {
    asked.push(get(docPath(kind.path, q)).then(
      ({ payload }) => [{ type: 'document', kind, id: payload[kind.idField], doc: payload, via: 'id' }],
      quiet(forbidden, kind.scope),
    ));
    for (const [param, via] of FILTERS) {
      const path = `/v1/${kind.path}/?${param}=${encodeURIComponent(q)}&limit=${LIMIT}`;
      asked.push(get(path).then(
        ({ payload }) => payload.map((doc) => ({ type: 'document', kind, id: doc[kind.idField], doc, via })),
        quiet(forbidden, kind.scope),
      ));
    }
  }
  const seen = new Set();
  const found = [];
  for (const matches of await Promise.all(asked)) {
    for (const match of matches) {
      const key = match.type === 'customer' ? `customer/${match.id}` : `${match.kind.path}/${match.id}`;
      if (!seen.has(key)) { seen.add(key); found.push(match); }
    }
  }
  return { found, forbidden: [...forbidden] };
}

/** Where one match leads without a list: a customer, or a document found by id or number. */
export function direct(found) {
  if (found.length !== 1) return null;
  const [match] = found;
  return match.type === 'customer' || match.via === 'id' || match.via === 'order number' ? match : null;
}
