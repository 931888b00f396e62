// Money as the wire writes it: decimal strings, summed exactly as scaled BigInts, never floats.

/** `"-12.50"` → `{units: -1250n, scale: 2}`; null when it is no decimal. */
export function parseDecimal(text) {
  const m = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(String(text).trim());
  if (!m || (m[2] === '' && !m[3])) return null;
  let digits = m[2] + (m[3] || '');
  let scale = (m[3] || '').length - Number(m[4] || 0);
  if (scale < 0) { digits += '0'.repeat(-scale); scale = 0; }
  const units = BigInt(digits || '0');
  return { units: m[1] ? -units : units, scale };
}

function rescale(d, scale) { return d.units * 10n ** BigInt(scale - d.scale); }

export function add(a, b) {
  const scale = Math.max(a.scale, b.scale);
  return { units: rescale(a, scale) + rescale(b, scale), scale };
}

export function mul(a, b) { return { units: a.units * b.units, scale: a.scale + b.scale }; }

export const ZERO = { units: 0n, scale: 0 };

/** The decimal's text: `{units: -1250n, scale: 2}` → `"-12.50"`. */
export function toText(d) {
  const negative = d.units < 0n;
  let digits = (negative ? -d.units : d.units).toString();
  if (d.scale > 0) {
    digits = digits.padStart(d.scale + 1, '0');
    digits = `${digits.slice(0, -d.scale)}.${digits.slice(-d.scale)}`;
  }
  return (negative ? '-' : '') + digits;
}

const formats = new Map();
function formatter(currency, fraction) {
  const key = `${currency}/${fraction}`;
  if (!formats.has(key)) {
    let f = null;
    try {
      const base = new Intl.NumberFormat(undefined, { style: 'currency', currency });
      const { minimumFractionDigits: min, maximumFractionDigits: max } = base.resolvedOptions();
      f = new Intl.NumberFormat(undefined, {
        style: 'currency', currency,
        minimumFractionDigits: min, maximumFractionDigits: Math.max(max, fraction),
      });
    } catch { /* not an ISO currency: shown as digits and code */ }
    formats.set(key, f);
  }
  return formats.get(key);
}

/** Money with its currency, every digit kept (Intl formats a decimal string exactly). */
export function money(text, currency) {
  if (text === null || text === undefined || text === '') return '—';
  const d = typeof text === 'object' ? text : parseDecimal(text);
  if (!d) return String(text);
  const plain = toText(d);
  const f = currency ? formatter(currency, Math.max(d.scale, 0)) : null;
  return f ? f.format(plain) : `${plain}${currency ? ` ${currency}` : ''}`;
}
