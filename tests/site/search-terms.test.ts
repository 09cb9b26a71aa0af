import { describe, expect, it } from 'vitest';
import { indicatorTerms } from '../../src/lib/site/search.ts';
import { pageCount, pageSlice, pageUrl } from '../../src/lib/site/paging.ts';

describe('normalised indicator terms for search', () => {
  it('adds the bare hash of a NAME=value hash', () => {
    expect(indicatorTerms('MD5=c996d7971c49252c582171d9380360f2')).toEqual(['c996d7971c49252c582171d9380360f2']);
    expect(indicatorTerms('IMPHASH=ABC123DEF')).toEqual(['ABC123DEF']);
  });

  it('adds path segments and the file name without extension', () => {
    expect(indicatorTerms('\\rundll32.exe')).toEqual(['rundll32.exe', 'rundll32']);
    expect(indicatorTerms('C:\\Windows\\System32\\rundll32.exe')).toEqual(['Windows', 'System32', 'rundll32.exe', 'rundll32']);
    expect(indicatorTerms('HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run')).toContain('CurrentVersion');
  });

  it('trims wildcards and skips tiny parts and the value itself', () => {
    expect(indicatorTerms('*\\Temp\\*')).toEqual(['Temp']);
    expect(indicatorTerms('mimikatz')).toEqual([]);
    expect(indicatorTerms('net1.exe')).toEqual(['net1']);
  });
});

describe('paged lists', () => {
  it('keeps page 1 at the list URL and slices in order', () => {
    expect(pageUrl('/rules/', 1)).toBe('/rules/');
    expect(pageUrl('/rules/', 3)).toBe('/rules/page/3/');
    expect(pageCount(0, 10)).toBe(1);
    expect(pageCount(21, 10)).toBe(3);
    expect(pageSlice([1, 2, 3, 4, 5], 2, 2)).toEqual([3, 4]);
  });
});
