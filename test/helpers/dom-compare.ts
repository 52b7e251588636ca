// Compares two htmlparser2 DOMs node by node: the first difference as a path and a reason, or null.
// Used to check that the XML document's simple path (src/core/feed/parse/xml-simple.ts) builds
// exactly htmlparser2's tree.
interface AnyNode {
  type: string;
  name?: string;
  data?: string;
  attribs?: Record<string, string>;
  children?: AnyNode[];
  parent?: AnyNode | null;
  prev?: AnyNode | null;
  next?: AnyNode | null;
}

export function domDifference(a: AnyNode, b: AnyNode, path = 'root'): string | null {
  if (a.constructor !== b.constructor) return `${path}: ${a.constructor.name} vs ${b.constructor.name}`;
  if (Object.keys(a).join() !== Object.keys(b).join()) return `${path}: own fields ${Object.keys(a).join()} vs ${Object.keys(b).join()}`;
  if (a.type !== b.type) return `${path}: type ${a.type} vs ${b.type}`;
  if (a.name !== b.name) return `${path}: name ${a.name} vs ${b.name}`;
  if (a.data !== b.data) return `${path}: data ${JSON.stringify(a.data?.slice(0, 80))} vs ${JSON.stringify(b.data?.slice(0, 80))}`;
  const aa = a.attribs ? JSON.stringify(Object.entries(a.attribs)) : '';
  const ba = b.attribs ? JSON.stringify(Object.entries(b.attribs)) : '';
  if (aa !== ba) return `${path}: attributes ${aa} vs ${ba}`;
  if (Object.hasOwn(a, 'children') !== Object.hasOwn(b, 'children')) return `${path}: children on one side only`;
  const ac = a.children ?? [];
  const bc = b.children ?? [];
  if (ac.length !== bc.length) return `${path}: ${ac.length} vs ${bc.length} children`;
  for (let i = 0; i < ac.length; i++) {
    const x = ac[i]!;
    if (x.parent !== a || x.prev !== (ac[i - 1] ?? null) || x.next !== (ac[i + 1] ?? null)) return `${path}/${i}: parent or sibling links`;
    const d = domDifference(x, bc[i]!, `${path}/${i}${x.name ? `<${x.name}>` : `(${x.type})`}`);
    if (d) return d;
  }
  return null;
}
