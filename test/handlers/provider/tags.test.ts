import { tagsToAdd, tagsToRemove } from '../../../src/handlers/provider/tags';

describe('tagsToAdd', () => {
  test('returns new keys and keys whose value changed, not unchanged ones', () => {
    // GIVEN
    const oldTags = { keep: 'same', change: 'before', drop: 'x' };
    const newTags = { keep: 'same', change: 'after', added: 'new' };

    // THEN
    expect(tagsToAdd(oldTags, newTags)).toEqual({ change: 'after', added: 'new' });
  });

  test('returns nothing when the tags are equal', () => {
    expect(tagsToAdd({ a: '1', b: '2' }, { b: '2', a: '1' })).toEqual({});
  });

  test('an empty value is a value', () => {
    expect(tagsToAdd({}, { empty: '' })).toEqual({ empty: '' });
    expect(tagsToAdd({ empty: 'x' }, { empty: '' })).toEqual({ empty: '' });
  });

  test('does not treat inherited object keys as tags', () => {
    expect(tagsToAdd({}, { constructor: 'c', toString: 't' })).toEqual({ constructor: 'c', toString: 't' });
  });
});

describe('tagsToRemove', () => {
  test('returns only the keys that are gone', () => {
    expect(tagsToRemove({ keep: '1', drop: '2', alsoDrop: '3' }, { keep: 'changed', added: '4' })).toEqual(['drop', 'alsoDrop']);
  });

  test('returns nothing when no key is gone', () => {
    expect(tagsToRemove({ a: '1' }, { a: '2', b: '3' })).toEqual([]);
    expect(tagsToRemove({}, {})).toEqual([]);
  });

  test('a key whose value becomes empty is kept, not removed', () => {
    expect(tagsToRemove({ a: '1' }, { a: '' })).toEqual([]);
  });
});
