import { invalidRequest } from './stripe.errors.js';

/**
 * Parses Stripe's form encoding (POST bodies, GET/DELETE query strings) into nested values, the
 * way stripe-node writes it: `metadata[k]=v`, `line_items[0][price_data][unit_amount]=500`,
 * `expand[]=x` or `expand[0]=x`, brackets escaped or not. Values stay strings ('' = unset, which the
 * parameter validation turns into null); arrays come from numeric or empty indexes.
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

function splitKey(raw: string): string[] {
  const open = raw.indexOf('[');
  if (open <= 0) return [raw];
  const parts = [raw.slice(0, open)];
  const rest = raw.slice(open);
  const pattern = /\[([^\]]*)\]/g;
  let consumed = 0;
  for (let m = pattern.exec(rest); m !== null; m = pattern.exec(rest)) {
    if (m.index !== consumed) break;
    parts.push(m[1] ?? '');
    consumed = m.index + m[0].length;
  }
  if (consumed !== rest.length) throw invalidRequest(`Invalid parameter name: ${raw}`, raw);
  return parts;
}

type Tree = { value?: string; children: Map<string, Tree>; appended: number };
const node = (): Tree => ({ children: new Map(), appended: 0 });

function toValue(tree: Tree, name: string): FormValue {
  if (tree.children.size === 0) return tree.value ?? '';
  if (tree.value !== undefined)
    throw invalidRequest(`Invalid value for ${name}: both a value and fields`, name);
  const keys = [...tree.children.keys()];
  if (keys.every((k) => /^\d+$/.test(k))) {
    // Indexes may arrive in any order or with gaps (an SDK skipping undefined items); keep their order.
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((k) => toValue(tree.children.get(String(k)) as Tree, `${name}[${k}]`));
  }
  const out: FormObject = {};
  for (const [key, child] of tree.children) out[key] = toValue(child, `${name}[${key}]`);
  return out;
}

export function parseStripeForm(encoded: string): FormObject {
  const root = node();
  for (const [rawKey, value] of new URLSearchParams(encoded)) {
    if (rawKey === '') continue;
    const parts = splitKey(rawKey);
    let at = root;
    for (const part of parts) {
      // `a[]` appends: give each occurrence its own index.
      const key = part === '' ? String(at.appended++) : part;
      let child = at.children.get(key);
      if (!child) {
        child = node();
        at.children.set(key, child);
      }
      at = child;
    }
    at.value = value;
  }
  const out: FormObject = {};
  for (const [key, child] of root.children) out[key] = toValue(child, key);
  return out;
}
