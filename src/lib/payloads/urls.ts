/**
 * The http(s) URLs a command names, cut one way for both sides of the payload store: `atlas
 * payloads fetch` downloads them and the simulator looks them up, so a URL the two cut
 * differently would be fetched and then never found.
 * A URL ends at white space, a quote or backtick, `()<>|;,`, `]` (the end of a `[…]` around it)
 * and `\`, which is never part of a URL and in a command escapes the quote after it
 * (`\"https://host/x.ps1\"`); a bracketed IPv6 host (`http://[::1]:8080/x`) is kept whole.
 * Trailing `.` and `:` are the sentence's punctuation (`… from https://host/x.ps1.`), not the URL's.
 */
const URL_PATTERN = /https?:\/\/(?:\[[0-9a-f:.]+\][^\s'"`()<>|;,\]\\]*|[^\s'"`()<>|;,\]\\]+)/gi;

export function extractUrls(text: string): string[] {
  return [...text.matchAll(URL_PATTERN)].map((m) => m[0].replace(/[.:]+$/, ''));
}
