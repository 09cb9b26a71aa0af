/**
 * A parser for the POSIX shell grammar as far as finding commands needs: lists, pipelines,
 * and/or, if/while/until/for/case, groups, subshells and function definitions. Complete
 * top-level commands are handed out one at a time, so a caller can run those before a syntax
 * error, as sh -c does.
 */
import type { ShToken } from './shlex.ts';

export type Word = ShToken & { kind: 'word' };

export type Node =
  | { type: 'simple'; words: Word[]; assigns: Word[]; text: string; /** Reads the previous command's output (`a | b`). */ piped?: boolean }
  | { type: 'if'; clauses: { cond: Node[]; body: Node[] }[]; otherwise?: Node[] }
  | { type: 'loop'; variable?: string; items?: Word[]; cond: Node[]; body: Node[] }
  | { type: 'case'; word: Word; items: { patterns: string[]; body: Node[] }[] }
  | { type: 'group'; body: Node[] }
  | { type: 'function'; name: string; body: Node[] };

export class ShellSyntaxError extends Error {}

const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'case', 'esac', 'while', 'until', 'for', 'in', '{', '}', '!', 'function']);
const ENDS_SIMPLE = new Set([';', '&', '&&', '||', '|', ')', ';;']);
const REDIRECTS = new Set(['<', '>', '>>', '>&', '<&', '&>', '>|', '<<', '<<-', '<<<']);

/** Recursive descent over the tokens; commands are handed out one complete command at a time. */
export class Parser {
  private pos = 0;
  constructor(private readonly tokens: ShToken[]) {}

  /** The next complete top-level command, undefined at the end; throws ShellSyntaxError. */
  nextCommand(): Node[] | undefined {
    this.skipNewlines();
    if (this.pos >= this.tokens.length) return undefined;
    const nodes = this.andOr();
    const t = this.peek();
    if (t?.kind === 'op' && (t.text === ';' || t.text === '&')) this.pos++;
    else if (t && t.kind !== 'newline') throw new ShellSyntaxError(`unexpected ${describe(t)}`);
    return nodes;
  }

  private peek(offset = 0): ShToken | undefined {
    return this.tokens[this.pos + offset];
  }

  private isWord(text: string, t = this.peek()): boolean {
    return t?.kind === 'word' && !t.quoted && t.raw === text;
  }

  private isOp(text: string, t = this.peek()): boolean {
    return t?.kind === 'op' && t.text === text;
  }

  private expectWord(text: string): void {
    if (!this.isWord(text)) throw new ShellSyntaxError(`expected '${text}', found ${describe(this.peek())}`);
    this.pos++;
  }

  private skipNewlines(): void {
    while (this.peek()?.kind === 'newline') this.pos++;
  }

  /** A compound list up to one of the terminators; empty lists are errors unless allowed. */
  private list(terminators: string[], allowEmpty = false): Node[] {
    const nodes: Node[] = [];
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (!t) break;
      if (t.kind === 'word' && !t.quoted && terminators.includes(t.raw)) break;
      if (t.kind === 'op' && (t.text === ')' || t.text === ';;') && terminators.includes(t.text)) break;
      nodes.push(...this.andOr());
      const sep = this.peek();
      if (sep?.kind === 'op' && (sep.text === ';' || sep.text === '&')) this.pos++;
      else if (
        sep &&
        sep.kind !== 'newline' &&
        !(sep.kind === 'word' && terminators.includes(sep.raw)) &&
        !(sep.kind === 'op' && terminators.includes(sep.text))
      ) {
        throw new ShellSyntaxError(`unexpected ${describe(sep)}`);
      }
    }
    if (nodes.length === 0 && !allowEmpty) throw new ShellSyntaxError(`unexpected ${describe(this.peek())}`);
    return nodes;
  }

  private andOr(): Node[] {
    const nodes = this.pipeline();
    while (this.isOp('&&') || this.isOp('||')) {
      this.pos++;
      this.skipNewlines();
      nodes.push(...this.pipeline());
    }
    return nodes;
  }

  private pipeline(): Node[] {
    if (this.isWord('!')) this.pos++;
    const nodes = this.command();
    while (this.isOp('|')) {
      this.pos++;
      this.skipNewlines();
      const next = this.command();
      if (next[0]?.type === 'simple') next[0].piped = true;
      nodes.push(...next);
    }
    return nodes;
  }

  private command(): Node[] {
    const t = this.peek();
    if (!t || t.kind === 'newline') throw new ShellSyntaxError('unexpected end of command');
    let nodes: Node[];
    if (t.kind === 'op' && t.text === '(') {
      this.pos++;
      nodes = [{ type: 'group', body: this.list([')']) }];
      if (!this.isOp(')')) throw new ShellSyntaxError("expected ')'");
      this.pos++;
    } else if (t.kind === 'op' && !REDIRECTS.has(t.text)) {
      throw new ShellSyntaxError(`unexpected ${describe(t)}`);
    } else if (t.kind === 'word' && !t.quoted && RESERVED.has(t.raw)) {
      nodes = this.compound(t.raw);
    } else {
      return this.simple();
    }
    this.redirections();
    return nodes;
  }

  private compound(word: string): Node[] {
    this.pos++;
    switch (word) {
      case 'if': {
        const clauses = [{ cond: this.list(['then']), body: (this.expectWord('then'), this.list(['elif', 'else', 'fi'])) }];
        let otherwise: Node[] | undefined;
        while (this.isWord('elif')) {
          this.pos++;
          const cond = this.list(['then']);
          this.expectWord('then');
          clauses.push({ cond, body: this.list(['elif', 'else', 'fi']) });
        }
        if (this.isWord('else')) {
          this.pos++;
          otherwise = this.list(['fi']);
        }
        this.expectWord('fi');
        return [{ type: 'if', clauses, otherwise }];
      }
      case 'while':
      case 'until': {
        const cond = this.list(['do']);
        this.expectWord('do');
        const body = this.list(['done']);
        this.expectWord('done');
        return [{ type: 'loop', cond, body }];
      }
      case 'for': {
        let variable: string | undefined;
        let items: Word[] | undefined;
        if (this.isOp('(')) {
          while (this.peek() && !(this.isOp(')') && this.isOp(')', this.peek(1)))) this.pos++;
          this.pos += 2;
        } else {
          const name = this.peek();
          if (name?.kind !== 'word') throw new ShellSyntaxError('expected a loop variable');
          variable = name.raw;
          this.pos++;
          this.skipNewlines();
          if (this.isWord('in')) {
            this.pos++;
            items = [];
            while (this.peek()?.kind === 'word') items.push(this.tokens[this.pos++] as Word);
          }
        }
        if (this.isOp(';')) this.pos++;
        this.skipNewlines();
        this.expectWord('do');
        const body = this.list(['done']);
        this.expectWord('done');
        return [{ type: 'loop', variable, items, cond: [], body }];
      }
      case 'case': {
        const subject = this.peek();
        if (subject?.kind !== 'word') throw new ShellSyntaxError('expected a word after case');
        this.pos++;
        this.skipNewlines();
        this.expectWord('in');
        const items: { patterns: string[]; body: Node[] }[] = [];
        for (;;) {
          this.skipNewlines();
          if (this.isWord('esac') || !this.peek()) break;
          if (this.isOp('(')) this.pos++;
          const patterns: string[] = [];
          while (this.peek() && !this.isOp(')')) {
            const p = this.tokens[this.pos++]!;
            if (p.kind === 'word') patterns.push(p.raw);
          }
          this.pos++;
          const body = this.list([';;', 'esac'], true);
          if (this.isOp(';;')) this.pos++;
          items.push({ patterns, body });
        }
        this.expectWord('esac');
        return [{ type: 'case', word: subject, items }];
      }
      case '{': {
        const body = this.list(['}']);
        this.expectWord('}');
        return [{ type: 'group', body }];
      }
      case 'function': {
        const name = this.peek();
        if (name?.kind !== 'word') throw new ShellSyntaxError('expected a function name');
        this.pos++;
        if (this.isOp('(') && this.isOp(')', this.peek(1))) this.pos += 2;
        this.skipNewlines();
        return [{ type: 'function', name: name.raw, body: this.command() }];
      }
      default:
        throw new ShellSyntaxError(`unexpected '${word}'`);
    }
  }

  private redirections(): void {
    while (this.peek()?.kind === 'op' && REDIRECTS.has((this.peek() as { text: string }).text)) {
      this.pos++;
      if (this.peek()?.kind === 'word') this.pos++;
    }
  }

  private simple(): Node[] {
    const words: Word[] = [];
    const assigns: Word[] = [];
    const start = this.pos;
    for (;;) {
      const t = this.peek();
      if (!t || t.kind === 'newline') break;
      if (t.kind === 'op') {
        if (REDIRECTS.has(t.text)) {
          this.pos++;
          if (this.peek()?.kind === 'word') this.pos++;
          continue;
        }
        if (t.text === '(' && words.length === 1 && this.isOp(')', this.peek(1))) {
          // name() { … }: a function definition
          this.pos += 2;
          this.skipNewlines();
          return [{ type: 'function', name: words[0]!.raw, body: this.command() }];
        }
        if (ENDS_SIMPLE.has(t.text) || t.text === '(') break;
      }
      if (t.kind === 'word') {
        if (words.length === 0 && /^[A-Za-z_]\w*=/.test(t.raw)) assigns.push(t);
        else words.push(t);
      }
      this.pos++;
    }
    if (words.length === 0 && assigns.length === 0) throw new ShellSyntaxError(`unexpected ${describe(this.peek())}`);
    const text = this.tokens
      .slice(start, this.pos)
      .map((t) => (t.kind === 'word' ? t.raw : t.kind === 'op' ? t.text : ''))
      .join(' ');
    return [{ type: 'simple', words, assigns, text }];
  }
}

function describe(t: ShToken | undefined): string {
  if (!t) return 'end of input';
  if (t.kind === 'newline') return 'newline';
  return `'${t.kind === 'op' ? t.text : t.raw}'`;
}
