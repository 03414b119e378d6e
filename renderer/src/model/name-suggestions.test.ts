import { describe, expect, it } from 'vitest';
import { nameSuggestions } from './name-suggestions';

const names = ['web-1', 'web-2', 'shop/web-3', 'db-1', 'Web-Admin', 'cache'];

describe('nameSuggestions', () => {
  it('offers the first names as they come while nothing is typed', () => {
    expect(nameSuggestions(names, '', 3)).toEqual(['web-1', 'web-2', 'shop/web-3']);
    expect(nameSuggestions(names, '  ', 10)).toEqual(names);
  });

  it('puts names that start with the text before names that hold it further on, ignoring case', () => {
    expect(nameSuggestions(names, 'WEB', 10)).toEqual(['web-1', 'web-2', 'Web-Admin', 'shop/web-3']);
    expect(nameSuggestions(names, '-1', 10)).toEqual(['web-1', 'db-1']);
  });

  it('keeps to the limit, and fills it with names holding the text when too few start with it', () => {
    expect(nameSuggestions(names, 'web', 2)).toEqual(['web-1', 'web-2']);
    expect(nameSuggestions(['a-web', 'web-1', 'b-web'], 'web', 2)).toEqual(['web-1', 'a-web']);
  });

  it('offers nothing when no name holds the text', () => {
    expect(nameSuggestions(names, 'mail', 5)).toEqual([]);
  });
});
