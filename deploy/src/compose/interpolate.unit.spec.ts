import { interpolate } from './interpolate';

describe('compose interpolation', () => {
  it('substitutes variables and defaults the way Compose does', () => {
    const env = { SET: 'value', EMPTY: '' };
    expect(
      interpolate(
        {
          list: ['${SET}', '$SET', '${UNSET:-fallback}', '${EMPTY:-fallback}', '${EMPTY-kept empty}'],
          literal: 'cost: $$5',
          number: 3,
        },
        env,
      ),
    ).toEqual({ list: ['value', 'value', 'fallback', 'fallback', ''], literal: 'cost: $5', number: 3 });
  });

  it('refuses a missing required variable', () => {
    expect(() => interpolate('${KEY:?set KEY}', {})).toThrow('KEY is required: set KEY');
  });
});
