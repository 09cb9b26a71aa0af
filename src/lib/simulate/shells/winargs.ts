/**
 * Windows command lines: a program receives one string and splits it itself. Most follow the
 * C runtime rules implemented here (CommandLineToArgvW keeps the pre-2008 rule of leaving the
 * quotes after a `""`, which differs only where more than one space follows); cmd.exe does not
 * (see cmd.ts).
 */

/**
 * Splits like the C runtime's argv parser (msvcr90 and later) and .NET's: only spaces and tabs
 * separate (a newline is an ordinary character), quotes group; 2n backslashes before a quote are
 * n backslashes and the quote is then read as any quote, 2n+1 are n backslashes and a literal
 * quote; `""` inside quotes is a literal quote and the argument stays quoted.
 */
export function splitWindowsArgs(text: string): string[] {
  const args: string[] = [];
  let current = '';
  let inQuotes = false;
  let started = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\') {
      let n = 0;
      while (text[i + n] === '\\') n++;
      if (text[i + n] === '"') {
        current += '\\'.repeat(Math.floor(n / 2));
        // An escaped quote is consumed here; after an even run the quote is left to the quote
        // rules below, so `\\""` inside quotes is a backslash and a literal quote (.NET's
        // ParseArgumentsIntoList and the CRT): the harness writes it for every `\"` of a
        // PowerShell test, as in `"HKCU:\…\Winlogon\"` (T1547.004 #1).
        if (n % 2 === 1) {
          current += '"';
          i += n;
        } else i += n - 1;
      } else {
        current += '\\'.repeat(n);
        i += n - 1;
      }
      started = true;
    } else if (ch === '"') {
      if (inQuotes && text[i + 1] === '"') {
        current += '"';
        i++;
      } else inQuotes = !inQuotes;
      started = true;
    } else if ((ch === ' ' || ch === '\t') && !inQuotes) {
      if (started) args.push(current);
      current = '';
      started = false;
    } else {
      current += ch;
      started = true;
    }
  }
  if (started) args.push(current);
  return args;
}

/** Quotes an argument the way PowerShell and .NET do when it holds whitespace (or is empty). */
export function quoteWindowsArg(arg: string): string {
  return arg === '' || /[\s]/.test(arg) ? `"${arg}"` : arg;
}

/** The text after the first argument (program) of a command line, as the program sees it. */
export function argumentsText(commandLine: string): string {
  const m = /^\s*("[^"]*"|\S+)\s?/.exec(commandLine);
  return m ? commandLine.slice(m[0].length) : '';
}

/** Is a path absolute (C:\…, \\server\…, \…)? */
export function isAbsoluteWindowsPath(path: string): boolean {
  return /^[a-zA-Z]:[\\/]/.test(path) || path.startsWith('\\\\') || path.startsWith('\\');
}
