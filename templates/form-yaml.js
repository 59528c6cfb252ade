/*
 * Reading answers files in the browser: the YAML that people and rewrite-advisor write, read
 * as yamlio.py reads it. Block and flow mappings and lists, plain, quoted and block (| and >)
 * texts, comments; scalars by the YAML 1.2 core schema, so that `no`, `on` and dates stay
 * text. Anchors, aliases, tags and duplicate keys are refused, with the line. JSON is YAML.
 */
"use strict";
globalThis.RewriteAdvisorYaml = (() => {
  const NO_COLON = "this line has no ':' after its key (write 'key: value')";

  class YamlError extends Error {
    constructor(message, line) {
      super(line ? `line ${line}: ${message}` : message);
      this.line = line;
    }
  }

  const own = (object, key) => Object.prototype.hasOwnProperty.call(object, key);
  const NULL = /^(?:~|null|Null|NULL|)$/;
  const BOOL = { true: true, True: true, TRUE: true, false: false, False: false, FALSE: false };
  const INT = /^[-+]?[0-9]+$/;
  const OCT = /^0o[0-7]+$/;
  const HEX = /^0x[0-9a-fA-F]+$/;
  const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
  const INF = /^[-+]?\.(?:inf|Inf|INF)$/;
  const NAN = /^\.(?:nan|NaN|NAN)$/;

  /*
   * yamlio reads an unquoted value as text unless PyYAML's YAML 1.1 resolver takes it for a
   * boolean, number or null; only then does the YAML 1.2 core schema decide what it is.
   */
  const YAML11 = [
    /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
    /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
    /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
    NULL,
  ];

  /** An unquoted value as yamlio reads it (yamlio._scalar and _resolve_plain). */
  function resolvePlain(text) {
    if (!YAML11.some((pattern) => pattern.test(text))) return text;
    if (NULL.test(text)) return null;
    if (own(BOOL, text)) return BOOL[text];
    if (INT.test(text) || FLOAT.test(text)) return Number(text);
    if (OCT.test(text)) return parseInt(text.slice(2), 8);
    if (HEX.test(text)) return parseInt(text.slice(2), 16);
    if (INF.test(text)) return text.startsWith("-") ? -Infinity : Infinity;
    if (NAN.test(text)) return NaN;
    return text;
  }

  const ESCAPES = {
    0: "\0", a: "\x07", b: "\b", t: "\t", "\t": "\t", n: "\n", v: "\v", f: "\f", r: "\r",
    e: "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", N: "\x85", _: "\xa0",
    L: "\u2028", P: "\u2029",
  };
  const HEX_ESCAPES = { x: 2, u: 4, U: 8 };
  const FLOW = ",[]{}";

  class Parser {
    constructor(text) {
      this.s = text.replace(/^\ufeff/, "").replace(/\r\n?/g, "\n");
      this.i = 0;
      this.starts = [0];
      for (let k = 0; k < this.s.length; k += 1) if (this.s[k] === "\n") this.starts.push(k + 1);
    }

    line(at = this.i) {
      let low = 0;
      let high = this.starts.length - 1;
      while (low < high) {
        const mid = (low + high + 1) >> 1;
        if (this.starts[mid] <= at) low = mid;
        else high = mid - 1;
      }
      return low + 1;
    }

    col(at = this.i) {
      return at - this.starts[this.line(at) - 1];
    }

    fail(message, at = this.i) {
      throw new YamlError(message, this.line(Math.min(at, this.s.length)));
    }

    blank(at) {
      const c = this.s[at];
      return c === undefined || c === " " || c === "\t" || c === "\n";
    }

    atEnd() {
      return this.i >= this.s.length;
    }

    marker(at = this.i) {
      return (
        this.col(at) === 0 &&
        (this.s.startsWith("---", at) || this.s.startsWith("...", at)) &&
        this.blank(at + 3)
      );
    }

    skipSpace() {
      while (this.s[this.i] === " " || this.s[this.i] === "\t") this.i += 1;
    }

    skipComment() {
      if (this.s[this.i] === "#") while (!this.atEnd() && this.s[this.i] !== "\n") this.i += 1;
    }

    /** Skip blanks, line breaks and comments up to the next content. */
    skipToContent() {
      for (;;) {
        this.skipSpace();
        this.skipComment();
        if (this.s[this.i] !== "\n") break;
        this.i += 1;
      }
      const lead = this.s.slice(this.starts[this.line() - 1], this.i);
      if (!this.atEnd() && lead.includes("\t") && /^[ \t]*$/.test(lead)) {
        this.fail("a tab is used for indentation; YAML needs spaces");
      }
    }

    /** The text of line `n` (1-based), without its line break. */
    lineText(n) {
      const end = n < this.starts.length ? this.starts[n] - 1 : this.s.length;
      return this.s.slice(this.starts[n - 1], end);
    }

    /**
     * After an unquoted value that began at `start`: a ':' here, on a later line indented as
     * the value's first line, means that first line is a key that lost its ':' (`budget 100`
     * over `total_cost: 200` reads as one text); point there, as yamlio does.
     */
    endOfPlain(start) {
      this.skipSpace();
      const first = this.line(start);
      const here = this.line();
      if (this.s[this.i] === ":" && first < here) {
        const indent = (n) => {
          const text = this.lineText(n);
          return text.length - text.replace(/^ +/, "").length;
        };
        if (indent(first) === indent(here)) this.fail(NO_COLON, start);
        this.fail("mapping values are not allowed here (check the indentation of this line and the ones above it)");
      }
      this.endOfLine();
    }

    /** The rest of the line must be blank or a comment. */
    endOfLine() {
      this.skipSpace();
      this.skipComment();
      if (this.atEnd() || this.s[this.i] === "\n") return;
      if (this.s[this.i] === ":") this.fail("mapping values are not allowed here (quote a value that has ': ' in it)");
      this.fail("unexpected text after the value");
    }

    parseDocument() {
      this.skipToContent();
      if (this.s[this.i] === "%") this.fail("directives (%) are not supported");
      if (this.marker() && this.s.startsWith("---", this.i)) this.i += 3;
      this.skipToContent();
      let value = null;
      if (!this.atEnd() && !this.marker()) value = this.parseNode(-1);
      this.skipToContent();
      if (this.marker() && this.s.startsWith("...", this.i)) {
        this.i += 3;
        this.skipToContent();
      }
      if (!this.atEnd()) {
        this.fail(
          this.marker() ? "only one document is allowed in a file" : "unexpected text (check the indentation)",
        );
      }
      return value;
    }

    /** A block node that starts here; `parent` is the indentation of the node around it. */
    parseNode(parent) {
      const c = this.s[this.i];
      if (c === "-" && this.blank(this.i + 1)) return this.parseSequence(this.col());
      this.refuseSpecial();
      if (c === "?" && this.blank(this.i + 1)) this.fail("complex keys (?) are not supported");
      if (c === "|" || c === ">") return this.parseBlockScalar(parent);
      if (this.keyAhead()) return this.parseMapping(this.col());
      const start = this.i;
      const value = this.parseInline(parent);
      this.endOfPlain(start);
      return value;
    }

    refuseSpecial() {
      const c = this.s[this.i];
      if (c === "&" || c === "*") this.fail("anchors and aliases (& and *) are not allowed");
      if (c === "!") this.fail("tags (!) are not allowed here");
    }

    /** Whether a `key:` starts here, on this line. */
    keyAhead() {
      const s = this.s;
      let j = this.i;
      if (s[j] === '"' || s[j] === "'") {
        const quote = s[j];
        for (j += 1; j < s.length && s[j] !== "\n"; j += 1) {
          if (quote === '"' && s[j] === "\\") j += 1;
          else if (s[j] === quote && quote === "'" && s[j + 1] === "'") j += 1;
          else if (s[j] === quote) break;
        }
        if (s[j] !== quote) return false;
        j += 1;
        while (s[j] === " " || s[j] === "\t") j += 1;
        return s[j] === ":" && this.blank(j + 1);
      }
      if (s[j] === "[" || s[j] === "{") return false;
      for (; j < s.length && s[j] !== "\n"; j += 1) {
        if (s[j] === "#" && (s[j - 1] === " " || s[j - 1] === "\t")) return false;
        if (s[j] === ":" && this.blank(j + 1)) return true;
      }
      return false;
    }

    parseMapping(indent) {
      const map = Object.create(null);
      for (;;) {
        const at = this.i;
        let key;
        if (this.s[this.i] === '"' || this.s[this.i] === "'") {
          key = this.parseQuoted();
          this.skipSpace();
        } else {
          this.refuseSpecial();
          key = this.plainLine(false);
          this.skipSpace();
        }
        if (this.s[this.i] !== ":") this.fail("expected ':' after the key");
        this.i += 1;
        if (own(map, key)) this.fail(`the key '${key}' appears twice`, at);
        map[key] = this.parseValue(indent);
        this.skipToContent();
        if (this.atEnd() || this.marker()) break;
        const col = this.col();
        if (col < indent) break;
        if (col > indent) this.fail("bad indentation: this line is indented more than the keys above it");
        if (!this.keyAhead()) {
          const c = this.s[this.i];
          this.fail("-[{".includes(c) ? "expected a key (key: value) at this indentation" : NO_COLON);
        }
      }
      return map;
    }

    parseValue(indent) {
      this.skipSpace();
      this.skipComment();
      if (this.atEnd() || this.s[this.i] === "\n") {
        const before = this.i;
        this.skipToContent();
        if (this.atEnd() || this.marker()) return null;
        const col = this.col();
        if (col > indent) return this.parseNode(indent);
        if (col === indent && this.s[this.i] === "-" && this.blank(this.i + 1)) {
          return this.parseSequence(col);
        }
        this.i = before;
        return null;
      }
      const c = this.s[this.i];
      if (c === "|" || c === ">") return this.parseBlockScalar(indent);
      if (c === "-" && this.blank(this.i + 1)) this.fail("a list cannot start on the line of its key");
      this.refuseSpecial();
      if (this.keyAhead()) this.fail("mapping values are not allowed here (quote a value that has ': ' in it)");
      const start = this.i;
      const value = this.parseInline(indent);
      this.endOfPlain(start);
      return value;
    }

    parseSequence(indent) {
      const list = [];
      for (;;) {
        this.i += 1;
        this.skipSpace();
        this.skipComment();
        if (this.atEnd() || this.s[this.i] === "\n") {
          const before = this.i;
          this.skipToContent();
          if (this.atEnd() || this.marker() || this.col() <= indent) {
            this.i = before;
            list.push(null);
          } else {
            list.push(this.parseNode(indent));
          }
        } else {
          list.push(this.parseNode(indent));
        }
        this.skipToContent();
        if (this.atEnd() || this.marker()) break;
        const col = this.col();
        if (col < indent) break;
        if (col > indent) this.fail("bad indentation of a list item");
        if (!(this.s[this.i] === "-" && this.blank(this.i + 1))) break;
      }
      return list;
    }

    parseInline(parent) {
      const c = this.s[this.i];
      if (c === '"' || c === "'") return this.parseQuoted();
      if (c === "[" || c === "{") return this.parseFlow();
      return this.parsePlain(parent, false);
    }

    /** One line of an unquoted value, without trailing blanks; stops at ': ', ' #', a break. */
    plainLine(flow) {
      const s = this.s;
      const start = this.i;
      if ("%@`".includes(s[start]) || (FLOW.includes(s[start]) && s[start] !== undefined)) {
        this.fail(`a value cannot start with '${s[start]}'; put it in quotes`);
      }
      let end = start;
      while (this.i < s.length) {
        const c = s[this.i];
        if (c === "\n") break;
        if (c === ":" && (this.blank(this.i + 1) || (flow && FLOW.includes(s[this.i + 1])))) break;
        if (c === "#" && (s[this.i - 1] === " " || s[this.i - 1] === "\t")) break;
        if (flow && FLOW.includes(c)) break;
        this.i += 1;
        if (c !== " " && c !== "\t") end = this.i;
      }
      this.i = end;
      return s.slice(start, end);
    }

    /** An unquoted value, which may go on over lines indented more than `parent`. */
    parsePlain(parent, flow) {
      let text = this.plainLine(flow);
      if (!text) this.fail("expected a value");
      const s = this.s;
      for (;;) {
        let j = this.i;
        while (s[j] === " " || s[j] === "\t") j += 1;
        if (s[j] !== "\n") break;
        let breaks = 0;
        let next = -1;
        while (s[j] === "\n") {
          let k = j + 1;
          let spaces = 0;
          while (s[k] === " ") {
            k += 1;
            spaces += 1;
          }
          while (s[k] === "\t") k += 1;
          if (s[k] === "\n") {
            breaks += 1;
            j = k;
            continue;
          }
          const fits = flow ? !FLOW.includes(s[k]) && s[k] !== ":" : spaces > parent;
          if (k < s.length && fits && s[k] !== "#" && !this.marker(j + 1)) next = k;
          break;
        }
        if (next < 0) break;
        this.i = next;
        const more = this.plainLine(flow);
        if (!more) break;
        text += (breaks ? "\n".repeat(breaks) : " ") + more;
      }
      return resolvePlain(text);
    }

    /** A '...' or "..." text; line breaks inside fold as YAML says. */
    parseQuoted() {
      const s = this.s;
      const quote = s[this.i];
      const start = this.i;
      this.i += 1;
      let out = "";
      let kept = 0;
      for (;;) {
        if (this.atEnd()) this.fail("a quoted value is not closed", start);
        const c = s[this.i];
        if (quote === "'" && c === "'") {
          if (s[this.i + 1] !== "'") break;
          out += "'";
          this.i += 2;
        } else if (quote === '"' && c === '"') {
          break;
        } else if (quote === '"' && c === "\\") {
          const e = s[this.i + 1];
          if (e === "\n") {
            this.i += 2;
            while (s[this.i] === " " || s[this.i] === "\t") this.i += 1;
          } else if (e !== undefined && own(ESCAPES, e)) {
            out += ESCAPES[e];
            this.i += 2;
          } else if (e !== undefined && own(HEX_ESCAPES, e)) {
            const digits = s.substr(this.i + 2, HEX_ESCAPES[e]);
            const code = /^[0-9a-fA-F]+$/.test(digits) ? parseInt(digits, 16) : -1;
            if (digits.length !== HEX_ESCAPES[e] || code < 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
              this.fail(`a bad escape \\${e}${digits} in a quoted value`);
            }
            out += String.fromCodePoint(code);
            this.i += 2 + HEX_ESCAPES[e];
          } else {
            this.fail(`an unknown escape \\${e === undefined ? "" : e} in a quoted value`);
          }
          kept = out.length;
        } else if (c === "\n") {
          while (out.length > kept && /[ \t]$/.test(out)) out = out.slice(0, -1);
          let breaks = 0;
          this.i += 1;
          for (;;) {
            while (s[this.i] === " " || s[this.i] === "\t") this.i += 1;
            if (s[this.i] !== "\n") break;
            breaks += 1;
            this.i += 1;
          }
          out += breaks ? "\n".repeat(breaks) : " ";
        } else {
          out += c;
          this.i += 1;
        }
      }
      this.i += 1;
      return out;
    }

    skipFlowSpace() {
      for (;;) {
        while (" \t\n".includes(this.s[this.i]) && !this.atEnd()) this.i += 1;
        if (this.s[this.i] !== "#") return;
        this.skipComment();
      }
    }

    parseFlowNode() {
      const c = this.s[this.i];
      if (c === '"' || c === "'") return this.parseQuoted();
      if (c === "[" || c === "{") return this.parseFlow();
      this.refuseSpecial();
      return this.parsePlain(-1, true);
    }

    parseFlow() {
      const start = this.i;
      const close = this.s[this.i] === "[" ? "]" : "}";
      const what = close === "]" ? "a [ list" : "a { mapping";
      this.i += 1;
      const list = [];
      const map = Object.create(null);
      for (;;) {
        this.skipFlowSpace();
        if (this.atEnd()) this.fail(`${what} is not closed`, start);
        if (this.s[this.i] === close) break;
        if (close === "]") {
          list.push(this.parseFlowNode());
          this.skipFlowSpace();
          if (this.s[this.i] === ":") this.fail("a key: value pair inside [ ] is not supported");
        } else {
          const at = this.i;
          const c = this.s[this.i];
          if (c === "[" || c === "{") this.fail("a key must be a plain word, not a list or a mapping");
          let key;
          if (c === '"' || c === "'") {
            key = this.parseQuoted();
          } else {
            this.refuseSpecial();
            key = this.plainLine(true);
          }
          this.skipFlowSpace();
          let value = null;
          if (this.s[this.i] === ":") {
            this.i += 1;
            this.skipFlowSpace();
            if (this.s[this.i] !== "," && this.s[this.i] !== "}") value = this.parseFlowNode();
            this.skipFlowSpace();
          }
          if (own(map, key)) this.fail(`the key '${key}' appears twice`, at);
          map[key] = value;
        }
        if (this.atEnd()) this.fail(`${what} is not closed`, start);
        if (this.s[this.i] === ",") {
          this.i += 1;
        } else if (this.s[this.i] !== close) {
          this.fail(`expected ',' or '${close}'`);
        }
      }
      this.i += 1;
      return close === "]" ? list : map;
    }

    /** A | (literal) or > (folded) text on the lines indented below its indicator. */
    parseBlockScalar(parent) {
      const s = this.s;
      const folded = s[this.i] === ">";
      this.i += 1;
      let chomp = "clip";
      let explicit = 0;
      for (let k = 0; k < 2; k += 1) {
        const c = s[this.i];
        if (c === "-" || c === "+") {
          chomp = c === "-" ? "strip" : "keep";
          this.i += 1;
        } else if (c >= "1" && c <= "9") {
          explicit = Number(c);
          this.i += 1;
        }
      }
      this.skipSpace();
      this.skipComment();
      if (!this.atEnd() && s[this.i] !== "\n") this.fail("unexpected text after | or >");
      let indent = explicit ? Math.max(parent, 0) + explicit : 0;
      const lines = [];
      let p = this.i;
      while (p < s.length) {
        const lineStart = p + 1;
        const found = s.indexOf("\n", lineStart);
        const lineEnd = found < 0 ? s.length : found;
        if (lineStart > s.length) break;
        let q = lineStart;
        while (s[q] === " ") q += 1;
        const spaces = q - lineStart;
        if (/^[ \t]*$/.test(s.slice(lineStart, lineEnd))) {
          if (lineStart === s.length) break;
          lines.push(indent && spaces > indent ? s.slice(lineStart + indent, lineEnd) : "");
          p = lineEnd;
          continue;
        }
        if (!indent) {
          if (spaces <= parent) break;
          indent = spaces;
        }
        if (spaces < indent || (spaces === 0 && this.marker(lineStart))) break;
        lines.push(s.slice(lineStart + indent, lineEnd));
        p = lineEnd;
      }
      let last = lines.length - 1;
      while (last >= 0 && lines[last] === "") last -= 1;
      const content = lines.slice(0, last + 1);
      const trailing = lines.length - content.length;
      // Give back the trailing lines that are blank: they may belong to what follows.
      this.i = p;
      let body;
      if (!folded) {
        body = content.join("\n");
      } else {
        body = "";
        let previous = null;
        let empties = 0;
        for (const line of content) {
          if (line === "") {
            empties += 1;
            continue;
          }
          if (previous === null) body += "\n".repeat(empties) + line;
          else if (/^[ \t]/.test(line) || /^[ \t]/.test(previous)) body += "\n".repeat(empties + 1) + line;
          else body += (empties ? "\n".repeat(empties) : " ") + line;
          previous = line;
          empties = 0;
        }
      }
      if (chomp === "strip" || !content.length) return chomp === "keep" ? "\n".repeat(trailing) : body;
      return body + "\n" + (chomp === "keep" ? "\n".repeat(trailing) : "");
    }
  }

  /** Parse YAML (or JSON) text into plain data; throws YamlError with the line. */
  function parse(text) {
    return new Parser(text).parseDocument();
  }

  return Object.freeze({ YamlError, parse, resolvePlain });
})();
