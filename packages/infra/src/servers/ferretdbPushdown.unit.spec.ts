import { withPushdown } from './ferretdb';

/** The two blocks as FerretDB 1.24.2's internal/backends/sqlite/collection.go has them (Query, then Explain). */
const upstreamBlock = (explain: boolean) =>
  [
    '\t// that logic should exist in one place',
    '\t// TODO https://github.com/FerretDB/FerretDB/issues/3235',
    '\tif params.Filter.Len() == 1 {',
    '\t\tv, _ := params.Filter.Get("_id")',
    '\t\tswitch v.(type) {',
    '\t\tcase string, types.ObjectID:',
    ...(explain ? ['\t\t\tfilterPushdown = true'] : []),
    '\t\t\twhereClause = fmt.Sprintf(` WHERE %s = ?`, metadata.IDColumn)',
    '\t\t\targs = []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}',
    '\t\t}',
    '\t}',
    '',
  ].join('\n');

describe('the pushdown patch of FerretDB’s collection.go', () => {
  const source = (blocks: string[]) =>
    ['func (c *collection) Query() {', ...blocks, '\tq += whereClause', '}'].join('\n');

  it('makes Query and Explain call eventfoldWhereClause, Explain saying whether it pushed down', () => {
    const patched = withPushdown(source([upstreamBlock(false), upstreamBlock(true)]));
    expect(patched).not.toContain('params.Filter.Len() == 1');
    expect(patched.match(/whereClause, args = eventfoldWhereClause\(params\.Filter\)\n/g)).toHaveLength(2);
    expect(patched).toContain('eventfoldWhereClause(params.Filter)\n\tfilterPushdown = whereClause != ""\n');
  });

  it('refuses a source that no longer has both blocks, instead of building an unpatched server', () => {
    expect(() => withPushdown(source([upstreamBlock(false)]))).toThrow(/no longer holds/);
    expect(() => withPushdown(source([upstreamBlock(false), upstreamBlock(false)]))).toThrow(
      /no longer holds/,
    );
  });
});
