// A customer's link graph as SVG: one lane per step (quotes → orders → replacements and
// returns, vendor documents beside), one band per family of linked documents, newest family
// first; each node a link to its document.

import { kindByPath } from './api.js';
import { consolePath, esc } from './dom.js';
import { money } from './money.js';

// Parent links a child carries, by the child's kind: [field, kind of the parent].
const PARENTS = {
  order: [['parentQuoteId', 'quote'], ['replacementForOrderId', 'order']],
  return: [['parentOrderId', 'order']],
  'vendor-order': [['parentQuoteId', 'vendor-quote'], ['replacementForOrderId', 'vendor-order'], ['customerOrderId', 'order']],
  'vendor-return': [['parentOrderId', 'vendor-order']],
};
// Lists a parent carries, by the parent's kind: [field, kind of the children].
const CHILDREN = {
  quote: [['orderIds', 'order']],
  'vendor-quote': [['orderIds', 'vendor-order']],
  order: [['replacementOrderIds', 'order'], ['returnIds', 'return'], ['vendorOrderIds', 'vendor-order']],
  'vendor-order': [['replacementOrderIds', 'vendor-order'], ['returnIds', 'vendor-return']],
};
export const LINK_FIELDS = { PARENTS, CHILDREN };

const LANES = ['Quotes', 'Orders', 'Replacements, returns', 'Vendor quotes', 'Vendor orders', 'Vendor returns'];
function lane(node) {
  switch (node.kind.path) {
    case 'quote': return 0;
    case 'order': return node.doc && node.doc.replacementForOrderId ? 2 : 1;
    case 'return': return 2;
    case 'vendor-quote': return 3;
    case 'vendor-order': return 4;
    default: return 5;
  }
}

const W = 172; const H = 42; const GAP_X = 48; const ROW = 54; const PAD = 12; const TOP = 34;
export const MAX_NODES = 250;

const key = (kindPath, id) => `${kindPath}/${id}`;
const short = (text, n) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

/** Nodes (documents, and ids they link to that are not among them) and edges parent → child. */
function build(documents) {
  const nodes = new Map();
  for (const d of documents) nodes.set(key(d.kind.path, d.id), { ...d, ghost: false });
  const edges = new Map();
  const link = (parentKind, parentId, childKind, childId) => {
    for (const [k, id] of [[parentKind, parentId], [childKind, childId]]) {
      if (!nodes.has(key(k, id))) nodes.set(key(k, id), { kind: kindByPath(k), id, doc: null, ghost: true });
    }
    const e = `${key(parentKind, parentId)}>${key(childKind, childId)}`;
    if (!edges.has(e)) edges.set(e, [key(parentKind, parentId), key(childKind, childId)]);
  };
  for (const d of documents) {
    for (const [field, parentKind] of PARENTS[d.kind.path] || []) {
      const id = d.doc[field];
      if (id !== null && id !== undefined && id !== '') link(parentKind, String(id), d.kind.path, d.id);
    }
    for (const [field, childKind] of CHILDREN[d.kind.path] || []) {
      for (const id of d.doc[field] || []) link(d.kind.path, d.id, childKind, String(id));
    }
  }
  return { nodes, edges: [...edges.values()] };
}

/** Families: the connected parts of the graph, newest first. */
function families(nodes, edges) {
  const up = new Map([...nodes.keys()].map((k) => [k, k]));
  const root = (k) => { while (up.get(k) !== k) { up.set(k, up.get(up.get(k))); k = up.get(k); } return k; };
  for (const [a, b] of edges) up.set(root(a), root(b));
  const groups = new Map();
  for (const [k, node] of nodes) {
    const r = root(k);
    if (!groups.has(r)) groups.set(r, []);
    groups.get(r).push(node);
  }
  const date = (n) => (n.doc && n.doc.createdAt) || '';
  const newest = (g) => g.reduce((m, n) => (date(n) > m ? date(n) : m), '');
  return [...groups.values()]
    .map((g) => ({ nodes: g, newest: newest(g) }))
    .sort((a, b) => (a.newest < b.newest ? 1 : a.newest > b.newest ? -1 : 0))
    .map((f) => f.nodes.sort((a, b) => (date(a) < date(b) ? -1 : date(a) > date(b) ? 1 : a.id < b.id ? -1 : 1)));
}

function edgePath(a, b) {
  const ay = a.y + H / 2; const by = b.y + H / 2;
  if (a.x === b.x) {
    const x = a.x + W; const bulge = x + 28 + Math.min(60, Math.abs(by - ay) / 4);
    return `M${x},${ay} C${bulge},${ay} ${bulge},${by} ${x + 2},${by}`;
  }
  if (a.x > b.x) {
    const mid = (a.x + b.x + W) / 2;
    return `M${a.x},${ay} C${mid},${ay} ${mid},${by} ${b.x + W + 2},${by}`;
  }
  const x1 = a.x + W; const x2 = b.x - 2;
  if (x2 - x1 <= GAP_X) {
    const mid = (x1 + x2) / 2;
    return `M${x1},${ay} C${mid},${ay} ${mid},${by} ${x2},${by}`;
  }
  // Past a lane: along the gap under the lower of the two rows, never through a box.
  const gy = Math.max(a.y, b.y) + H + (ROW - H) / 2;
  const half = GAP_X / 2;
  return `M${x1},${ay} C${x1 + half},${ay} ${x1 + half},${gy} ${x1 + GAP_X - 8},${gy} `
    + `L${x2 - GAP_X + 8},${gy} C${x2 - half},${gy} ${x2 - half},${by} ${x2},${by}`;
}

/** The SVG of `documents` (`{kind, id, doc}`) and a note when it had to leave some out. */
export function graph(documents) {
  const { nodes, edges } = build(documents);
  const all = families(nodes, edges);
  // A very large customer: the newest families up to MAX_NODES nodes, and a note saying so.
  const shown = [];
  let count = 0;
  for (const f of all) {
    if (count > 0 && count + f.length > MAX_NODES) break;
    shown.push(f);
    count += f.length;
  }
  const shownDocs = shown.reduce((n, f) => n + f.filter((x) => !x.ghost).length, 0);
  // Documents linked to nothing are packed in a grid after the families.
  const linked = shown.filter((f) => f.length > 1);
  const lonely = shown.filter((f) => f.length === 1).map(([node]) => node);
  const used = [...new Set(linked.flat().map(lane))].sort((a, b) => a - b);
  const column = new Map(used.map((l, i) => [l, i]));
  const across = Math.max(used.length, Math.min(lonely.length, 4));
  let y = linked.length ? TOP : 8;
  const bands = [];
  for (const family of linked) {
    const rows = new Map();
    for (const node of family) {
      const l = lane(node);
      const row = rows.get(l) || 0;
      rows.set(l, row + 1);
      node.x = PAD + column.get(l) * (W + GAP_X);
      node.y = y + row * ROW;
    }
    const height = Math.max(...rows.values()) * ROW;
    bands.push([y, height]);
    y += height + 10;
  }
  let lonelyTitle = null;
  if (lonely.length) {
    lonelyTitle = y + 16;
    y += 26;
    lonely.forEach((node, i) => {
      node.x = PAD + (i % across) * (W + GAP_X);
      node.y = y + Math.floor(i / across) * ROW;
    });
    y += Math.ceil(lonely.length / across) * ROW;
  }
  const width = PAD * 2 + across * (W + GAP_X) - GAP_X + 40;
  const height = y + PAD;
  const out = [];
  out.push(`<svg class="graph" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="group" aria-label="Link graph: ${shownDocs} documents">`);
  out.push('<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path class="arrow" d="M0,0L10,5L0,10z"/></marker></defs>');
  bands.forEach(([top, h], i) => {
    if (i % 2 === 0) out.push(`<rect class="band" x="0" y="${top - 5}" width="${width}" height="${h}"/>`);
  });
  if (lonelyTitle) out.push(`<text class="lane" x="${PAD}" y="${lonelyTitle}">Linked to no other document (${lonely.length})</text>`);
  for (const l of used) out.push(`<text class="lane" x="${PAD + column.get(l) * (W + GAP_X)}" y="20">${LANES[l]}</text>`);
  const placed = new Set(shown.flat().map((n) => key(n.kind.path, n.id)));
  for (const [a, b] of edges) {
    if (!placed.has(a) || !placed.has(b)) continue;
    const from = nodes.get(a); const to = nodes.get(b);
    out.push(`<path class="edge" d="${edgePath(from, to)}" marker-end="url(#arrow)" data-from="${esc(a)}" data-to="${esc(b)}"/>`);
  }
  for (const node of shown.flat()) {
    const { kind, id, doc } = node;
    const hasTotal = doc && doc.total !== null && doc.total !== undefined;
    const total = hasTotal ? money(doc.total, doc.currency) : '';
    const status = node.ghost ? 'not among these documents' : doc.status || '';
    const title = `${kind.label} ${id}${doc && doc.createdAt ? `, created ${doc.createdAt.replace('T', ' ')} UTC` : ''}`
      + `${status ? `, ${status}` : ''}${total ? `, total ${total}` : ''}`;
    out.push(`<a class="node k-${kind.path}${node.ghost ? ' ghost' : ''}" href="${esc(consolePath(kind.path, id))}" data-kind="${kind.path}" data-id="${esc(id)}" aria-label="${esc(title)}">`
      + `<title>${esc(title)}</title><rect x="${node.x}" y="${node.y}" width="${W}" height="${H}" rx="6"/>`
      + `<text x="${node.x + 8}" y="${node.y + 17}">${esc(short(`${kind.label} ${id}`, 24))}</text>`
      + `<text class="sub" x="${node.x + 8}" y="${node.y + 33}">${esc(short(status, total ? 24 - total.length : 29))}</text>`
      + `${total ? `<text class="sub" x="${node.x + W - 8}" y="${node.y + 33}" text-anchor="end">${esc(total)}</text>` : ''}</a>`);
  }
  out.push('</svg>');
  const total = documents.length;
  const note = shownDocs < total
    ? `The graph shows the ${shown.length} newest families of linked documents (${shownDocs} of ${total} documents); the timeline below lists every one.`
    : null;
  return { svg: out.join(''), note, edges: edges.length };
}

