/**
 * The inspector's view of a message's Field tree: stable paths, the visible rows for a set of
 * expanded nodes, and the byte → field lookups that link the tree and the hex view. Pure.
 */
import type { Field } from '../../protocol/tls/fields.ts';

export interface TreeNode {
  /** Index path from the roots, e.g. `3.1.0`. */
  path: string;
  field: Field;
  depth: number;
  parent: TreeNode | null;
  children: TreeNode[];
}

export interface FieldTree {
  roots: TreeNode[];
  byPath: Map<string, TreeNode>;
  /** Every node, depth first. */
  all: TreeNode[];
}

export function buildTree(fields: readonly Field[]): FieldTree {
  const byPath = new Map<string, TreeNode>();
  const all: TreeNode[] = [];
  const make = (f: Field, path: string, depth: number, parent: TreeNode | null): TreeNode => {
    const n: TreeNode = { path, field: f, depth, parent, children: [] };
    byPath.set(path, n);
    all.push(n);
    n.children = (f.children ?? []).map((c, i) => make(c, `${path}.${i}`, depth + 1, n));
    return n;
  };
  const roots = fields.map((f, i) => make(f, String(i), 0, null));
  return { roots, byPath, all };
}

/** The rows shown: roots, and the children of expanded nodes, in order. */
export function visibleRows(tree: FieldTree, expanded: ReadonlySet<string>): TreeNode[] {
  const out: TreeNode[] = [];
  const walk = (ns: TreeNode[]): void => {
    for (const n of ns) {
      out.push(n);
      if (n.children.length && expanded.has(n.path)) walk(n.children);
    }
  };
  walk(tree.roots);
  return out;
}

/**
 * The most specific field holding the byte at `offset`: the narrowest range that contains it; among
 * equally narrow ones (a parent and children decoded over the same bytes) the outermost. Null when
 * no field covers the byte.
 */
export function deepestAt(tree: FieldTree, offset: number): TreeNode | null {
  let best: TreeNode | null = null;
  const len = (n: TreeNode) => n.field.end - n.field.start;
  const walk = (ns: TreeNode[]): void => {
    for (const n of ns) {
      if (!(n.field.start <= offset && offset < n.field.end)) continue;
      if (!best || len(n) < len(best)) best = n;
      walk(n.children);
    }
  };
  walk(tree.roots);
  return best;
}

/** The outermost field with exactly this range; else the most specific one holding its first byte. */
export function nodeForRange(tree: FieldTree, r: { start: number; end: number }): TreeNode | null {
  return tree.all.find((n) => n.field.start === r.start && n.field.end === r.end) ?? deepestAt(tree, r.start);
}

/** Paths of the node's ancestors (outermost first). */
export function ancestorPaths(n: TreeNode): string[] {
  const out: string[] = [];
  for (let p = n.parent; p; p = p.parent) out.unshift(p.path);
  return out;
}

/** Paths of every node with children (for "expand all"). */
export function expandablePaths(tree: FieldTree): string[] {
  return tree.all.filter((n) => n.children.length > 0).map((n) => n.path);
}
