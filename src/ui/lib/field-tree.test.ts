import { describe, expect, it } from 'vitest';
import { field, type Field } from '../../protocol/tls/fields.ts';
import { ancestorPaths, buildTree, deepestAt, expandablePaths, nodeForRange, visibleRows } from './field-tree.ts';

// A message laid out like the decoders do: a header, a vector with a length prefix, and a
// certificate whose summary children all span the same DER bytes.
const fields: Field[] = [
  field('msg_type', 0, 1, 'certificate'),
  field('length', 1, 4, '40 bytes'),
  field('certificate_list', 4, 44, '1 certificate', {
    children: [
      field('certificate_list_length', 4, 7, '37'),
      field('cert_data', 7, 44, 'CN=x', {
        children: [
          field('cert_data_length', 7, 10, '34'),
          field('cert_data', 10, 44, '34 bytes', { children: [field('subject', 10, 44, 'CN=x'), field('issuer', 10, 44, 'CN=ca')] }),
        ],
      }),
    ],
  }),
  field('empty', 44, 44, '(empty)'),
];

describe('field tree', () => {
  const tree = buildTree(fields);

  it('paths, visible rows and expansion', () => {
    expect(tree.all.map((n) => n.path)).toEqual(['0', '1', '2', '2.0', '2.1', '2.1.0', '2.1.1', '2.1.1.0', '2.1.1.1', '3']);
    expect(visibleRows(tree, new Set()).map((n) => n.field.name)).toEqual(['msg_type', 'length', 'certificate_list', 'empty']);
    expect(visibleRows(tree, new Set(['2', '2.1'])).map((n) => n.path)).toEqual(['0', '1', '2', '2.0', '2.1', '2.1.0', '2.1.1', '3']);
    expect(expandablePaths(tree)).toEqual(['2', '2.1', '2.1.1']);
    expect(ancestorPaths(tree.byPath.get('2.1.1.1')!)).toEqual(['2', '2.1', '2.1.1']);
  });

  it('a byte maps to the narrowest field holding it, the outermost among equals', () => {
    expect(deepestAt(tree, 0)!.field.name).toBe('msg_type');
    expect(deepestAt(tree, 5)!.path).toBe('2.0');
    expect(deepestAt(tree, 8)!.path).toBe('2.1.0');
    // subject and issuer span the same bytes as the DER node: the DER node is the honest answer.
    expect(deepestAt(tree, 30)!.path).toBe('2.1.1');
    expect(deepestAt(tree, 44)).toBeNull();
  });

  it('a range maps to the outermost field with exactly that range, else the field of its first byte', () => {
    expect(nodeForRange(tree, { start: 10, end: 44 })!.path).toBe('2.1.1');
    expect(nodeForRange(tree, { start: 4, end: 44 })!.path).toBe('2');
    expect(nodeForRange(tree, { start: 5, end: 6 })!.path).toBe('2.0');
  });
});
