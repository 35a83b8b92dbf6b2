import { parseInteger, parseObject, parseString, parseStringList, parseTags } from '../../../src/handlers/provider/cfn-properties';
import { ReasonError } from '../../../src/handlers/provider/errors';

describe('parseInteger', () => {
  test('reads the strings CloudFormation sends', () => {
    expect(parseInteger('300', 'MaximumMessageLength')).toBe(300);
    expect(parseInteger('1', 'MaximumMessageLength')).toBe(1);
    expect(parseInteger('-5', 'X')).toBe(-5);
  });

  test('accepts numbers as they are', () => {
    expect(parseInteger(42, 'X')).toBe(42);
  });

  test('returns undefined for a missing value', () => {
    expect(parseInteger(undefined, 'X')).toBeUndefined();
    expect(parseInteger(null, 'X')).toBeUndefined();
    expect(parseInteger('', 'X')).toBeUndefined();
  });

  test.each([
    ['abc'], ['1.5'], ['12abc'], [' '], ['0x10'], ['1e2'], ['Infinity'], [1.5], [true], [{}], [[3]],
  ])('rejects %j with a reason naming the property and the value', (value) => {
    expect(() => parseInteger(value, 'MaximumMessageLength')).toThrow(ReasonError);
    expect(() => parseInteger(value, 'MaximumMessageLength'))
      .toThrow(`MaximumMessageLength must be an integer. Received ${JSON.stringify(value)}`);
  });
});

describe('parseString, parseStringList, parseTags', () => {
  test('parseString', () => {
    expect(parseString('x', 'Name')).toBe('x');
    expect(parseString('', 'Name')).toBe('');
    expect(parseString(undefined, 'Name')).toBeUndefined();
    expect(() => parseString(5, 'Name')).toThrow('Name must be a string. Received 5');
  });

  test('parseStringList', () => {
    expect(parseStringList(['a', 'b'], 'L')).toEqual(['a', 'b']);
    expect(parseStringList(undefined, 'L')).toEqual([]);
    expect(parseStringList('', 'L')).toEqual([]);
    expect(() => parseStringList('a', 'L')).toThrow('L must be a list of strings');
    expect(() => parseStringList([1], 'L')).toThrow('L must be a list of strings');
  });

  test('parseTags', () => {
    expect(parseTags({ a: 'b', n: 1 }, 'Tags')).toEqual({ a: 'b', n: '1' });
    expect(parseTags(undefined, 'Tags')).toEqual({});
    expect(() => parseTags(['a'], 'Tags')).toThrow('Tags must be a map of strings');
    expect(() => parseTags('a=b', 'Tags')).toThrow('Tags must be a map of strings');
  });
});

describe('parseObject', () => {
  test('reads a nested object, {} when left out, and names the property otherwise', () => {
    expect(parseObject({ Uri: 'x' }, 'MessageReviewHandler')).toEqual({ Uri: 'x' });
    expect(parseObject(undefined, 'MessageReviewHandler')).toEqual({});
    expect(() => parseObject('x', 'MessageReviewHandler')).toThrow('MessageReviewHandler must be an object. Received "x"');
    expect(() => parseObject([1], 'MessageReviewHandler')).toThrow('MessageReviewHandler must be an object');
  });
});
