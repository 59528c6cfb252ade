/*
 * The answer form: shows the questions that apply, keeps every keystroke in the browser's
 * local storage, reviews the answers and saves them as an answers file that
 * `rewrite-advisor report` and `workshop` read as it is. It makes no request of any kind.
 *
 * Everything from the bank or from a person is inserted as text (textContent, value), never
 * as HTML. Reading typed answers follows bank.Question.cast_answer; which questions apply
 * follows answers.resolve_view, through the shared condition evaluator (conditions.js).
 */
"use strict";
(() => {
  const Conditions = globalThis.RewriteAdvisorConditions;
  const Yaml = globalThis.RewriteAdvisorYaml;
  const byId = (id) => document.getElementById(id);
  const bank = JSON.parse(byId("bank-data").textContent);
  const config = JSON.parse(byId("form-config").textContent);
  // The texts of questions and choices are on the page; the data holds the rest of the bank.
  const QUESTIONS = bank.sections.flatMap((section) =>
    section.questions.map((question) =>
      Object.assign({ section, text: byId(`text-${question.id}`).textContent }, question),
    ),
  );
  const BY_ID = new Map(QUESTIONS.map((question) => [question.id, question]));
  const TYPED = new Set(["number", "date", "text"]);
  const CONFIDENCES = ["sure", "estimate", "guess"];
  const HEADER = "# rewrite-advisor answers. Edit freely; `rewrite-advisor report` checks this file.";
  const own = (object, key) => Object.prototype.hasOwnProperty.call(object, key);
  const isMapping = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
  /** Python's str.strip() and split() for the ASCII blanks: what the form trims from typed text. */
  const tidy = (text) => text.replace(/^[ \t\n\r\f\v]+|[ \t\n\r\f\v]+$/g, "");
  const words = (text) => tidy(text).split(/[ \t\n\r\f\v]+/).filter(Boolean);

  class Invalid extends Error {}

  // --- reading answers as rewrite-advisor does -------------------------------------------

  function grouped(digits) {
    return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  /** Python's f"{n:,}" for whole numbers and _plain_number for the rest. */
  function plainNumber(value) {
    const sign = value < 0 ? "-" : "";
    const size = Math.abs(value);
    if (Number.isInteger(size)) return sign + grouped(String(size));
    const [whole, fraction] = size.toFixed(2).split(".");
    const shown = `${grouped(whole)}.${fraction}`.replace(/0+$/, "").replace(/\.$/, "");
    return sign + shown;
  }

  const NUMBER = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
  const NOT_FINITE = /^[+-]?(?:inf|infinity|nan)$/i;
  const NUMBER_SO_FAR = /^[+-]?[0-9,_]*\.?[0-9]*(?:[eE][+-]?)?$/;
  // A written number on its way: digits, then the start of a multiplier, a unit or a currency.
  const WRITING_NUMBER = /^(?:[$€£¥₹]|[A-Za-z]{3})? ?[+-]? ?[0-9][0-9,.' _]*?[ .]*([A-Za-z]*)$/;
  const DATE_SHAPE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
  const DATE_SO_FAR = /^[0-9]{0,4}(?:-(?:[0-9]{0,2}(?:-[0-9]?)?)?)?$/;

  /** What to write instead (bank.number_example): a plain number, or as typed at the prompt. */
  function numberExample(unit, typed) {
    const [plain, written] = config.numbers.examples[unit] || config.numbers.exampleDefault;
    return typed ? `write a number, such as ${written}` : `write a plain number, such as ${plain}`;
  }

  function castNumber(question, raw) {
    if (typeof raw === "boolean") {
      throw new Invalid(`expected a number, got '${raw}': ${numberExample(question.unit, false)}`);
    }
    let value = raw;
    if (typeof raw === "string") {
      const text = raw.trim().replace(/[,_]/g, "");
      if (NOT_FINITE.test(text)) throw new Invalid("expected a finite number");
      if (!NUMBER.test(text)) throw new Invalid(`expected a number, got '${raw}'`);
      value = Number(text);
    } else if (typeof raw !== "number") {
      throw new Invalid(`expected a number, got '${raw}'`);
    }
    if (Number.isNaN(value)) throw new Invalid("expected a finite number");
    // The reader's bound (yamlio.MAX_NUMBER), and a number that overflowed: too large.
    if (!(Math.abs(value) <= 1e15)) {
      throw new Invalid("too large: numbers up to 10^15 are supported");
    }
    if (question.min !== undefined && value < question.min) {
      throw new Invalid(`must be at least ${plainNumber(question.min)}`);
    }
    if (question.max !== undefined && value > question.max) {
      throw new Invalid(`must be at most ${plainNumber(question.max)}`);
    }
    return value;
  }

  // How people write numbers (bank.read_number): the patterns and tables come from Python as
  // data (config.numbers); the steps below follow read_number and _check_mark one for one.
  const RULES = config.numbers;
  const WRITTEN = new RegExp(RULES.written, "i");
  const GROUPED = new RegExp(RULES.grouped);
  const DOT_GROUPED = new RegExp(RULES.dotGrouped);
  const FILE_NUMBER = new RegExp(RULES.fileNumber, "i");
  // Python's str.split() blanks.
  const PY_BLANKS = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

  function checkMark(mark, unit, currency, text) {
    const word = mark.toLowerCase();
    if (unit !== undefined && unit !== null && (RULES.unitWords[unit] || []).includes(word)) return;
    const other = Object.keys(RULES.unitWords).find((u) => RULES.unitWords[u].includes(word));
    if (other !== undefined) {
      let wanted;
      if (unit === "money") wanted = `is an amount of money${currency ? ` in ${currency}` : ""}`;
      else if (unit === undefined || unit === null || unit === "count") wanted = "is a plain number";
      else wanted = `is in ${unit}`;
      throw new Invalid(`the answer ${wanted}, not in ${other}: got '${text}'`);
    }
    const isSign = own(RULES.currencySigns, mark);
    if (isSign || (mark.length === 3 && /^[A-Za-z]{3}$/.test(mark) && !own(RULES.multipliers, word))) {
      if (unit !== "money") throw new Invalid(`this question does not ask for an amount of money, got '${text}'`);
      const known = isSign ? RULES.currencySigns[mark] : [mark.toUpperCase()];
      if (currency && !known.includes(currency.toUpperCase())) {
        throw new Invalid(`amounts here are in ${currency}, not ${mark}: convert '${text}' first`);
      }
      return;
    }
    throw new Invalid(`expected a number, got '${text}'`);
  }

  /** `digits` (a plain decimal) times a power of ten, exactly, as Python's Decimal does. */
  function scaled(digits, factor) {
    const zeros = String(factor).length - 1;
    const [whole, fraction = ""] = digits.split(".");
    const padded = fraction.padEnd(zeros, "0");
    return Number(`${whole || "0"}${padded.slice(0, zeros)}.${padded.slice(zeros) || "0"}`);
  }

  /** A number as a person writes it (bank.read_number). */
  function readNumber(text, unit, currency) {
    const cleaned = text.split(PY_BLANKS).filter(Boolean).join(" ");
    const match = WRITTEN.exec(cleaned);
    if (!match) throw new Invalid(`expected a number, got '${text}': ${numberExample(unit, true)}`);
    const after = match.groups.after;
    const inYears = Boolean(after) && RULES.yearWords.includes(after.toLowerCase()) &&
      own(RULES.perYear, unit) && !match.groups.multiplier;
    for (const mark of [match.groups.before, inYears ? null : after]) {
      if (mark) checkMark(mark, unit, currency, text);
    }
    let digits = match.groups.digits;
    if (GROUPED.test(digits)) digits = digits.replace(/[,' _]/g, "");
    else if (DOT_GROUPED.test(digits)) digits = digits.replace(/\./g, "");
    else if (/[,' _]/.test(digits)) {
      throw new Invalid(
        `'${text}' is not a number: a comma or a space separates thousands ` +
          "(120,000); the decimal mark is a point (1.5)",
      );
    }
    let value = Number(digits);
    if (Number.isNaN(value)) throw new Invalid(`expected a number, got '${text}'`);
    if (!Number.isFinite(value)) throw new Invalid("too large: numbers up to 10^15 are supported");
    if (inYears) {
      const per = RULES.perYear[unit];
      throw new Invalid(`the answer is in ${unit}: write ${plainNumber(value * per)} for '${text}' (${per} ${unit} a year)`);
    }
    const multiplier = match.groups.multiplier;
    if (multiplier) {
      if (![undefined, null, "money", "count"].includes(unit)) {
        throw new Invalid(`expected a number of ${unit}, got '${text}'`);
      }
      value = scaled(digits, RULES.multipliers[multiplier.toLowerCase()]);
    }
    return match.groups.sign === "-" ? -value : value;
  }

  /** A number typed into the form (bank.Question.cast_typed): as `assess` reads it. */
  function castTyped(question, raw, currency) {
    if (question.type !== "number") return castValue(question, raw);
    const text = raw.trim();
    if (FILE_NUMBER.test(text)) return castNumber(question, text);
    return castNumber(question, readNumber(raw, question.unit, currency));
  }

  function castDate(raw) {
    const text = String(raw).trim();
    const date = Conditions.isoDate(text);
    if (date) return date;
    if (DATE_SHAPE.test(text)) throw new Invalid(`'${raw}' is not a date in the calendar`);
    throw new Invalid(`expected a date as YYYY-MM-DD, got '${raw}'`);
  }

  /** A value from an answers file, typed for `question` (bank.Question.cast_answer). */
  function castValue(question, raw) {
    const values = (question.choices || []).map((choice) => choice.value);
    const notAChoice = (item) => new Invalid(`'${item}' is not one of the choices: ${values.join(", ")}`);
    switch (question.type) {
      case "single":
        if (typeof raw !== "string" || !values.includes(raw)) throw notAChoice(raw);
        return raw;
      case "multi": {
        const items = Array.isArray(raw) ? raw : [raw];
        for (const item of items) {
          if (typeof item !== "string" || !values.includes(item)) throw notAChoice(item);
        }
        if (new Set(items).size !== items.length) throw new Invalid("a choice is listed twice");
        const alone = question.choices.find((c) => c.exclusive && items.includes(c.value));
        if (alone && items.length > 1) {
          throw new Invalid(`'${alone.value}' cannot be combined with other choices`);
        }
        return values.filter((value) => items.includes(value));
      }
      case "yesno": {
        if (typeof raw === "boolean") return raw;
        const word = typeof raw === "string" ? raw.trim().toLowerCase() : null;
        if (["yes", "y", "no", "n"].includes(word)) return word.startsWith("y");
        throw new Invalid(`expected yes or no, got '${raw}'`);
      }
      case "number":
        return castNumber(question, raw);
      case "date":
        return castDate(raw);
      default:
        if (raw === null || typeof raw === "boolean" || typeof raw === "object") {
          throw new Invalid("expected text");
        }
        return String(raw);
    }
  }

  // --- the state: one entry per question, as typed -----------------------------------------

  /*
   * state.answers[id] = {dk, value, raw, note, confidence}: `value` holds a choice, a list of
   * choices or true/false; `raw` holds the text typed for a number, date or text question,
   * kept even while it is not valid, so that nothing typed is lost.
   */
  const blankEntry = () => ({ dk: false, value: null, raw: "", note: "", confidence: "" });

  function todayIso() {
    const now = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  }

  function freshState() {
    return {
      title: config.title,
      name: config.participant,
      others: [],
      date: todayIso(),
      currency: null,
      answers: {},
    };
  }

  /** What an entry means: its state, its typed value, and what is wrong with it, if anything. */
  function understand(question, entry) {
    if (!entry) return { state: "unanswered" };
    if (entry.dk) return { state: "unknown" };
    if (TYPED.has(question.type)) {
      const raw = entry.raw || "";
      if (!tidy(raw)) return { state: "unanswered" };
      try {
        const currency = state.currency || bank.currency;
        const value = question.type === "text" ? tidy(raw) : castTyped(question, raw, currency);
        return { state: "known", value };
      } catch (error) {
        if (error instanceof Invalid) return { state: "unanswered", error: error.message };
        throw error;
      }
    }
    if (question.type === "multi") {
      const ticked = Array.isArray(entry.value) ? entry.value : [];
      const values = question.choices.map((c) => c.value).filter((v) => ticked.includes(v));
      return values.length ? { state: "known", value: values } : { state: "unanswered" };
    }
    if (question.type === "yesno") {
      return typeof entry.value === "boolean"
        ? { state: "known", value: entry.value }
        : { state: "unanswered" };
    }
    return question.choices.some((c) => c.value === entry.value)
      ? { state: "known", value: entry.value }
      : { state: "unanswered" };
  }

  let state = freshState();

  function resolveView(of = state) {
    const given = {};
    for (const question of QUESTIONS) {
      const meaning = understand(question, of.answers[question.id]);
      if (meaning.state !== "unanswered") given[question.id] = meaning;
    }
    return Conditions.resolve(QUESTIONS, given);
  }

  // --- loading answers files ---------------------------------------------------------------

  const TOP_KEYS = ["kind", "format", "bank", "title", "date", "participants", "currency", "workshop", "answers"];
  const ENTRY_KEYS = ["value", "dont_know", "note", "confidence", "dissent"];
  const TEAM_FILE =
    "this is a team file from 'rewrite-advisor workshop'; load one person's answers file";

  /** A state from the data of an answers file, checked as `report` checks it. */
  function stateFromFile(data) {
    if (!isMapping(data)) throw new Invalid("expected a mapping of keys to values at the top");
    if (own(data, "kind") && data.kind !== config.kind) {
      throw new Invalid(`this is not an answers file (kind is '${data.kind}')`);
    }
    const unknown = Object.keys(data).find((key) => !TOP_KEYS.includes(key));
    if (unknown !== undefined) throw new Invalid(`unknown key '${unknown}'`);
    if (data.workshop !== undefined && data.workshop !== null) throw new Invalid(TEAM_FILE);
    if (own(data, "format") && data.format !== config.format) {
      throw new Invalid(`format: input should be ${config.format}`);
    }
    const ref = data.bank;
    if (!isMapping(ref) || typeof ref.id !== "string" || typeof ref.version !== "string") {
      throw new Invalid("missing key 'bank' (with its id and version)");
    }
    if (ref.id !== bank.id) {
      throw new Invalid(`these answers are for the question bank '${ref.id}', not '${bank.id}'`);
    }
    if (ref.version !== bank.version) {
      throw new Invalid(
        `these answers were made with version ${ref.version} of the question bank, ` +
          `but this form asks version ${bank.version} (the facilitator can make a form that ` +
          "starts from this file)",
      );
    }
    const loaded = freshState();
    if (own(data, "title")) {
      if (typeof data.title !== "string" || !data.title) throw new Invalid("title: expected text");
      loaded.title = data.title;
    }
    if (data.date !== undefined && data.date !== null) {
      if (!Conditions.isoDate(data.date)) throw new Invalid("date: expected a date as YYYY-MM-DD");
      loaded.date = data.date;
    }
    if (own(data, "participants")) {
      const names = data.participants;
      if (!Array.isArray(names) || names.some((n) => typeof n !== "string")) {
        throw new Invalid("participants: expected a list of names");
      }
      const tidied = names.map((n) => words(n).join(" ")).filter(Boolean);
      loaded.name = tidied[0] || loaded.name;
      loaded.others = tidied.slice(1);
    }
    if (data.currency !== undefined && data.currency !== null) {
      if (typeof data.currency !== "string") throw new Invalid("currency: expected text");
      loaded.currency = data.currency;
    }
    const answers = own(data, "answers") ? data.answers : {};
    if (!isMapping(answers)) throw new Invalid("answers: expected a mapping of questions to answers");
    for (const [id, written] of Object.entries(answers)) {
      const question = BY_ID.get(id);
      if (!question) throw new Invalid(`unknown question '${id}'`);
      const entry = loadEntry(question, isMapping(written) ? written : { value: written });
      if (entry) loaded.answers[id] = entry;
    }
    return loaded;
  }

  function loadEntry(question, written) {
    const id = question.id;
    const unknown = Object.keys(written).find((key) => !ENTRY_KEYS.includes(key));
    if (unknown !== undefined) throw new Invalid(`unknown key '${unknown}' in answers.${id}`);
    if (Array.isArray(written.dissent) && written.dissent.length) throw new Invalid(TEAM_FILE);
    const dk = written.dont_know === undefined ? false : written.dont_know;
    if (typeof dk !== "boolean") throw new Invalid(`answers.${id}.dont_know: expected true or false`);
    const value = written.value === undefined ? null : written.value;
    if (dk && value !== null) {
      throw new Invalid(`answers.${id}: an answer cannot have both a value and dont_know: true`);
    }
    const note = written.note === undefined || written.note === null ? "" : written.note;
    if (typeof note !== "string") throw new Invalid(`answers.${id}.note: expected text`);
    const confidence = written.confidence === undefined || written.confidence === null ? "" : written.confidence;
    if (confidence !== "" && !CONFIDENCES.includes(confidence)) {
      throw new Invalid(`answers.${id}.confidence: expected sure, estimate or guess`);
    }
    const entry = Object.assign(blankEntry(), { dk, note, confidence });
    const empty = value === null || value === "" || (Array.isArray(value) && !value.length);
    if (!dk && !empty) {
      let typed;
      try {
        typed = castValue(question, value);
      } catch (error) {
        if (error instanceof Invalid) throw new Invalid(`${id}: ${error.message}`);
        throw error;
      }
      if (question.type === "date") entry.raw = typed.iso;
      else if (TYPED.has(question.type)) entry.raw = String(typed);
      else entry.value = typed;
    }
    return dk || !empty || note || confidence ? entry : null;
  }

  // --- writing the answers file ------------------------------------------------------------

  const PLAIN = /^[\p{L}][\p{L}\p{N} _.,/()'-]*$/u;
  const RESERVED = /^(?:true|True|TRUE|false|False|FALSE|null|Null|NULL)$/;
  const ESCAPE_MORE = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g;
  const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

  /** A text as YAML that reads back as the same text: plain when safe, else double-quoted. */
  function yamlText(text) {
    const clean = text.replace(LONE_SURROGATE, "\ufffd");
    if (PLAIN.test(clean) && !RESERVED.test(clean) && clean.trim() === clean) return clean;
    return JSON.stringify(clean).replace(
      ESCAPE_MORE,
      (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
  }

  function yamlScalar(value) {
    if (typeof value === "string") return yamlText(value);
    if (typeof value === "boolean") return value ? "true" : "false";
    return String(value);
  }

  /** Lines for `key: value` at `indent`, with lists as PyYAML writes them (not indented). */
  function yamlField(key, value, indent) {
    const pad = " ".repeat(indent);
    if (Array.isArray(value)) {
      if (!value.length) return [`${pad}${key}: []`];
      return [`${pad}${key}:`, ...value.map((item) => `${pad}- ${yamlScalar(item)}`)];
    }
    if (isMapping(value)) {
      const keys = Object.keys(value);
      if (!keys.length) return [`${pad}${key}: {}`];
      return [`${pad}${key}:`, ...keys.flatMap((k) => yamlField(k, value[k], indent + 2))];
    }
    return [`${pad}${key}: ${yamlScalar(value)}`];
  }

  function participants(of = state) {
    const name = words(of.name || "").join(" ");
    return [name, ...of.others].filter((n, i, all) => n && all.indexOf(n) === i);
  }

  /** The answers file's data, in the order `rewrite-advisor` writes it; and what blocks it. */
  function fileData(of = state) {
    const view = resolveView(of);
    const answers = {};
    const problems = [];
    for (const question of QUESTIONS) {
      const entry = of.answers[question.id];
      if (!entry) continue;
      const meaning = understand(question, entry);
      if (meaning.error && view.state(question.id) !== "skipped") problems.push(question);
      const note = tidy(entry.note);
      const written = {};
      if (meaning.state === "known") {
        written.value = meaning.value instanceof Conditions.PyDate ? meaning.value.iso : meaning.value;
      } else if (meaning.state === "unknown") {
        written.dont_know = true;
      } else if (!note) {
        continue;
      }
      if (note) written.note = note;
      if (entry.confidence) written.confidence = entry.confidence;
      const keys = Object.keys(written);
      answers[question.id] = keys.length === 1 && keys[0] === "value" ? written.value : written;
    }
    const data = {
      kind: config.kind,
      format: config.format,
      bank: { id: bank.id, version: bank.version },
      title: of.title,
    };
    if (of.date) data.date = of.date;
    data.participants = participants(of);
    if (of.currency && of.currency !== bank.currency) data.currency = of.currency;
    data.answers = answers;
    return { data, problems };
  }

  function yamlFile(data) {
    const lines = [HEADER];
    for (const [key, value] of Object.entries(data)) lines.push(...yamlField(key, value, 0));
    return lines.join("\n") + "\n";
  }

  function fileName() {
    const slug = participants()
      .slice(0, 1)
      .join("")
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, "-")
      .replace(/^-+|-+$/g, "");
    return `${slug || "answers"}.yaml`;
  }

  // --- keeping the state in the browser ------------------------------------------------------

  let storageWarned = false;

  function persist() {
    try {
      const saved = { saved: new Date().toISOString(), state };
      globalThis.localStorage.setItem(config.storageKey, JSON.stringify(saved));
    } catch {
      if (!storageWarned) {
        storageWarned = true;
        say(
          "This browser does not keep your answers here: save them to a file before you close the page.",
          true,
        );
      }
    }
  }

  /** The state kept by an earlier visit, checked entry by entry; null if there is none. */
  function restore() {
    let kept;
    try {
      kept = JSON.parse(globalThis.localStorage.getItem(config.storageKey) || "null");
    } catch {
      return null;
    }
    if (!isMapping(kept) || !isMapping(kept.state) || !isMapping(kept.state.answers)) return null;
    const text = (value, fallback) => (typeof value === "string" ? value : fallback);
    const restored = freshState();
    restored.title = text(kept.state.title, restored.title) || restored.title;
    restored.name = text(kept.state.name, restored.name);
    restored.others = Array.isArray(kept.state.others)
      ? kept.state.others.filter((n) => typeof n === "string")
      : [];
    restored.date = Conditions.isoDate(kept.state.date) ? kept.state.date : restored.date;
    restored.currency = typeof kept.state.currency === "string" ? kept.state.currency : null;
    for (const [id, entry] of Object.entries(kept.state.answers)) {
      if (!BY_ID.has(id) || !isMapping(entry)) continue;
      const value = entry.value;
      const fits =
        value === null ||
        typeof value === "string" ||
        typeof value === "boolean" ||
        (Array.isArray(value) && value.every((v) => typeof v === "string"));
      restored.answers[id] = {
        dk: entry.dk === true,
        value: fits ? value : null,
        raw: text(entry.raw, ""),
        note: text(entry.note, ""),
        confidence: CONFIDENCES.includes(entry.confidence) ? entry.confidence : "",
      };
    }
    return { state: restored, saved: text(kept.saved, "") };
  }

  // --- the page -----------------------------------------------------------------------------

  const questionArea = byId("questions");
  const boxOf = (id) => byId(`q-${id}`);
  const optionsOf = (id) => Array.from(questionArea.querySelectorAll(`input[name="a-${id}"]`));
  let current = null;
  let applicable = null;

  function say(message, bad = false, where = "status") {
    const status = byId(where);
    status.textContent = message;
    status.classList.toggle("bad", bad);
  }

  function showError(question, message) {
    byId(`err-${question.id}`).textContent = message || "";
    byId(`err-${question.id}`).hidden = !message;
    boxOf(question.id).classList.toggle("invalid", Boolean(message));
    const input = byId(`in-${question.id}`);
    if (input) input.setAttribute("aria-invalid", message ? "true" : "false");
  }

  /** Whether typing on could still make `raw` valid (then its error waits for the blur). */
  function mayStillBecomeValid(question, raw) {
    const text = raw.trim();
    if (question.type === "number") return NUMBER_SO_FAR.test(text) || writingNumber(question, text);
    if (question.type === "date") return DATE_SO_FAR.test(text) && text.length < 10;
    return false;
  }

  /** Whether `text` is the start of a written number (its error waits for the blur). */
  function writingNumber(question, text) {
    const match = WRITING_NUMBER.exec(text);
    if (!match) return false;
    const word = match[1].toLowerCase();
    const currency = (state.currency || bank.currency).toLowerCase();
    const words = [...Object.keys(RULES.multipliers), ...Object.values(RULES.unitWords).flat()];
    if (question.unit === "money") words.push(currency);
    return words.some((known) => known.startsWith(word));
  }

  function checkTyped(question, when) {
    const entry = state.answers[question.id];
    const meaning = understand(question, entry);
    const shown = !byId(`err-${question.id}`).hidden;
    if (!meaning.error) {
      showError(question, "");
    } else if (when === "always" || shown || !mayStillBecomeValid(question, entry.raw)) {
      showError(question, meaning.error);
    }
  }

  function entryFor(id) {
    if (!state.answers[id]) state.answers[id] = blankEntry();
    return state.answers[id];
  }

  function readChoices(question) {
    const entry = entryFor(question.id);
    const inputs = optionsOf(question.id);
    const dontKnow = inputs.find((input) => input.hasAttribute("data-dont-know"));
    entry.dk = dontKnow.checked;
    const picked = inputs.filter((input) => input.checked && !input.hasAttribute("data-dont-know"));
    if (question.type === "multi") entry.value = picked.map((input) => input.value);
    else if (question.type === "yesno") entry.value = picked.length ? picked[0].value === "yes" : null;
    else entry.value = picked.length ? picked[0].value : null;
    if (entry.dk) entry.value = question.type === "multi" ? [] : null;
  }

  /** In a multiple choice, "Don't know" and exclusive choices stand alone. */
  function keepExclusive(question, changed) {
    if (!changed.checked) return;
    const alone = (input) => input.hasAttribute("data-dont-know") || input.hasAttribute("data-exclusive");
    for (const input of optionsOf(question.id)) {
      if (input !== changed && (alone(changed) || alone(input))) input.checked = false;
    }
  }

  function onEdit(event) {
    const target = event.target;
    const box = target.closest("[data-question]");
    if (!box) return;
    const question = BY_ID.get(box.dataset.question);
    const part = target.dataset.part;
    if (part === "note" || part === "confidence") {
      entryFor(question.id)[part] = target.value;
    } else if (TYPED.has(question.type)) {
      const input = byId(`in-${question.id}`);
      if (target.hasAttribute("data-dont-know")) {
        if (event.type !== "change") return;
        entryFor(question.id).dk = target.checked;
        input.disabled = target.checked;
      } else {
        entryFor(question.id).raw = input.value;
      }
      checkTyped(question, event.type === "change" ? "always" : "typing");
    } else {
      if (event.type !== "change") return;
      if (question.type === "multi") keepExclusive(question, target);
      readChoices(question);
    }
    refresh(true);
    persist();
  }

  function fillQuestion(question) {
    const entry = state.answers[question.id] || blankEntry();
    if (TYPED.has(question.type)) {
      const input = byId(`in-${question.id}`);
      input.value = entry.raw;
      byId(`dk-${question.id}`).checked = entry.dk;
      input.disabled = entry.dk;
      showError(question, "");
      if (entry.raw.trim()) checkTyped(question, "always");
    } else {
      for (const input of optionsOf(question.id)) {
        if (input.hasAttribute("data-dont-know")) input.checked = entry.dk;
        else if (entry.dk) input.checked = false;
        else if (question.type === "multi") input.checked = (entry.value || []).includes(input.value);
        else if (question.type === "yesno") input.checked = entry.value === (input.value === "yes");
        else input.checked = entry.value === input.value;
      }
    }
    byId(`note-${question.id}`).value = entry.note;
    byId(`conf-${question.id}`).value = entry.confidence;
    byId(`notebox-${question.id}`).open = Boolean(entry.note || entry.confidence);
  }

  function fill() {
    QUESTIONS.forEach(fillQuestion);
    byId("participant").value = state.name || "";
    byId("title").textContent = state.title;
    document.title = `${state.title}: answer form`;
    const currency = state.currency || bank.currency;
    for (const unit of document.querySelectorAll(".unit.money")) unit.textContent = currency;
  }

  const mattersNow = (question, view) => Conditions.matters(question, view);

  /**
   * A multiple choice asked besides an earlier single choice (the other goals, after the main
   * goal) does not offer the choice given there again; a tick on it is taken off. Whether
   * anything was taken off.
   */
  function offerBesides(view) {
    let changed = false;
    for (const question of QUESTIONS.filter((q) => q.besides)) {
      const taken = view.value(question.besides);
      let untick = false;
      for (const input of optionsOf(question.id)) {
        if (input.hasAttribute("data-dont-know")) continue;
        const hide = taken !== null && input.value === taken;
        input.closest("label").hidden = hide;
        if (hide && input.checked) {
          input.checked = false;
          untick = true;
        }
      }
      if (untick) {
        readChoices(question);
        changed = true;
      }
    }
    return changed;
  }

  /** Show the questions that apply, count the answers, say what appeared or went away. */
  function refresh(edited) {
    let view = resolveView();
    if (offerBesides(view)) view = resolveView();
    const now = new Set(QUESTIONS.filter((q) => view.state(q.id) !== "skipped").map((q) => q.id));
    for (const question of QUESTIONS) {
      boxOf(question.id).hidden = !now.has(question.id);
      const flag = boxOf(question.id).querySelector("[data-critical]");
      if (flag) flag.hidden = !mattersNow(question, view);
      const entry = state.answers[question.id];
      const extra = entry ? [entry.confidence, entry.note.trim() ? "note" : ""].filter(Boolean) : [];
      byId(`noteflag-${question.id}`).textContent = extra.length ? ` (${extra.join(", ")})` : "";
    }
    for (const section of bank.sections) {
      const shown = section.questions.filter((q) => now.has(q.id));
      const answered = shown.filter((q) => ["known", "unknown"].includes(view.state(q.id)));
      byId(`s-${section.id}`).hidden = !shown.length;
      byId(`toc-${section.id}`).hidden = !shown.length;
      const hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = " answered";
      byId(`count-${section.id}`).replaceChildren(`${answered.length} of ${shown.length}`, hidden);
    }
    if (edited && applicable) {
      const appeared = QUESTIONS.filter((q) => now.has(q.id) && !applicable.has(q.id));
      const dropped = QUESTIONS.filter(
        (q) => applicable.has(q.id) && !now.has(q.id) && state.answers[q.id],
      );
      const words = [
        ...appeared.map((q) => `Now also asked: ${q.text}`),
        ...dropped.map((q) => `No longer asked: ${q.text} (your answer is kept)`),
      ];
      if (words.length) byId("announce").textContent = words.join(" ");
    }
    applicable = now;
    showProgress(view);
  }

  function showProgress(view) {
    const shown = QUESTIONS.filter((q) => view.state(q.id) !== "skipped");
    const answered = shown.filter((q) => ["known", "unknown"].includes(view.state(q.id))).length;
    const here =
      shown.find((q) => q.id === current) ||
      shown.find((q) => view.state(q.id) === "unanswered") ||
      shown[shown.length - 1];
    const where = here ? `${here.section.title} · ${shown.indexOf(here) + 1} of about ${shown.length}` : "";
    byId("progress").textContent = `${where} · ${answered} answered`;
  }

  // --- review and save ----------------------------------------------------------------------

  function choiceLabel(question, value) {
    return boxOf(question.id).querySelector(`input[value="${CSS.escape(value)}"] + span`).textContent;
  }

  function formatValue(question, value) {
    const currency = state.currency || bank.currency;
    switch (question.type) {
      case "single":
        return choiceLabel(question, value);
      case "multi":
        return value.map((v) => choiceLabel(question, v)).join("; ");
      case "yesno":
        return value ? "Yes" : "No";
      case "number": {
        const shown = plainNumber(value);
        if (question.unit === "money") return `${shown} ${currency}`;
        if (question.unit === "percent") return `${shown}%`;
        let suffix = { months: "months", weeks: "weeks", days: "days", people: "people" }[question.unit] || "";
        if (value === 1 && suffix) suffix = suffix === "people" ? "person" : suffix.slice(0, -1);
        return `${shown} ${suffix}`.trim();
      }
      case "date":
        return value.iso;
      default:
        return value;
    }
  }

  function reviewItem(question, view) {
    const entry = state.answers[question.id];
    const meaning = understand(question, entry);
    const item = document.createElement("li");
    item.className = "item";
    const term = document.createElement("p");
    term.className = "asked";
    term.textContent = question.text;
    const answer = document.createElement("p");
    answer.className = "answer";
    if (meaning.error) {
      item.classList.add("bad");
      answer.textContent = `Needs fixing: ${entry.raw.trim()} (${meaning.error})`;
    } else if (meaning.state === "known") {
      answer.textContent = formatValue(question, meaning.value);
    } else if (meaning.state === "unknown") {
      answer.textContent = "Don't know";
    } else {
      item.classList.add("open");
      answer.textContent = mattersNow(question, view) ? "Not answered (this one matters)" : "Not answered";
    }
    const extra = entry ? [entry.confidence, entry.note.trim()].filter(Boolean) : [];
    if (extra.length) {
      const more = document.createElement("span");
      more.className = "extra";
      more.textContent = ` (${extra.join("; ")})`;
      answer.append(more);
    }
    const change = document.createElement("button");
    change.type = "button";
    change.className = "button small change";
    change.textContent = "Change";
    change.setAttribute("aria-label", `Change: ${question.text}`);
    change.addEventListener("click", () => goTo(question.id));
    item.append(term, answer, change);
    return item;
  }

  function renderReview() {
    const view = resolveView();
    const list = byId("review-list");
    list.replaceChildren();
    const shown = QUESTIONS.filter((q) => view.state(q.id) !== "skipped");
    let unknown = 0;
    let open = 0;
    let bad = 0;
    for (const section of bank.sections) {
      const questions = shown.filter((q) => q.section === section);
      if (!questions.length) continue;
      const heading = document.createElement("h3");
      heading.textContent = section.title;
      const items = document.createElement("ul");
      items.className = "answers";
      for (const question of questions) {
        items.append(reviewItem(question, view));
        const meaning = understand(question, state.answers[question.id]);
        if (meaning.error) bad += 1;
        else if (meaning.state === "unknown") unknown += 1;
        else if (meaning.state === "unanswered") open += 1;
      }
      list.append(heading, items);
    }
    const answered = shown.length - open - bad;
    const parts = [`${answered} of about ${shown.length} questions answered`];
    if (unknown) parts[0] += ` (${unknown} of them "don't know")`;
    if (open) parts.push(`${open} not answered yet`);
    if (bad) parts.push(`${bad} to fix before saving`);
    byId("review-summary").textContent = `${parts.join("; ")}.`;
    byId("progress").textContent = `Review · ${answered} of about ${shown.length} answered`;
    const kept = QUESTIONS.filter(
      (q) => view.state(q.id) === "skipped" && understand(q, state.answers[q.id]).state !== "unanswered",
    ).length;
    byId("review-kept").hidden = !kept;
    byId("review-kept").textContent =
      kept === 1
        ? "One answer to a question that no longer applies is kept in the file; report ignores it."
        : `${kept} answers to questions that no longer apply are kept in the file; report ignores them.`;
  }

  function showReview() {
    renderReview();
    for (const part of [questionArea, byId("toc-h").parentElement, byId("start-h").parentElement]) {
      part.hidden = true;
    }
    byId("review").hidden = false;
    byId("review-link").hidden = true;
    byId("review-h").focus();
    window.scrollTo(0, byId("review").offsetTop - 60);
  }

  function showQuestions() {
    byId("review").hidden = true;
    byId("review-link").hidden = false;
    for (const part of [questionArea, byId("toc-h").parentElement, byId("start-h").parentElement]) {
      part.hidden = false;
    }
    showProgress(resolveView());
  }

  function firstControl(id) {
    const question = BY_ID.get(id);
    if (TYPED.has(question.type)) {
      const input = byId(`in-${id}`);
      return input.disabled ? byId(`dk-${id}`) : input;
    }
    const inputs = optionsOf(id);
    return inputs.find((input) => input.checked) || inputs[0];
  }

  function goTo(id) {
    showQuestions();
    current = id;
    const control = firstControl(id);
    control.focus({ preventScroll: true });
    boxOf(id).scrollIntoView({ block: "center" });
  }

  function save() {
    const { data, problems } = fileData();
    const nameError = byId("participant-err");
    say("", false, "save-status");
    if (!data.participants.length) {
      nameError.textContent = "Type your name first: the file must say whose answers these are.";
      nameError.hidden = false;
      byId("participant").setAttribute("aria-invalid", "true");
      byId("participant").focus();
      return;
    }
    if (problems.length) {
      const which = problems.map((q) => `"${q.text}"`).join(", ");
      say(`Fix ${problems.length === 1 ? "this answer" : "these answers"} before saving: ${which}.`, true, "save-status");
      return;
    }
    const name = fileName();
    const blob = new Blob([yamlFile(data)], { type: "application/x-yaml" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60000);
    say(
      `Saved ${name} (look in your downloads). Send that file to the facilitator. ` +
        "Your answers also stay in this browser.",
      false,
      "save-status",
    );
  }

  function onName() {
    state.name = byId("participant").value;
    byId("participant-err").hidden = true;
    byId("participant").removeAttribute("aria-invalid");
    persist();
  }

  async function onLoad(event) {
    const input = event.target;
    const file = input.files && input.files[0];
    input.value = "";
    if (!file) return;
    let loaded;
    try {
      loaded = stateFromFile(Yaml.parse(await file.text()));
    } catch (error) {
      if (!(error instanceof Invalid || error instanceof Yaml.YamlError)) throw error;
      say(`${file.name}: ${error.message}. Nothing was changed.`, true);
      return;
    }
    const has = Object.keys(state.answers).length > 0;
    if (has && !window.confirm(`Replace the answers in this form with those in ${file.name}?`)) return;
    state = loaded;
    fill();
    refresh(false);
    persist();
    const count = Object.values(state.answers).filter((e) => e.dk || e.raw || e.value !== null).length;
    say(`Loaded ${count} answers from ${file.name}.`);
  }

  function startOver() {
    const sure = window.confirm(
      "Clear every answer in this form and start again? The answers kept in this browser for it are deleted.",
    );
    if (!sure) return;
    try {
      globalThis.localStorage.removeItem(config.storageKey);
    } catch {
      // Nothing was kept.
    }
    state = startingState();
    fill();
    refresh(false);
    showQuestions();
    say("Started over.");
    window.scrollTo(0, 0);
  }

  function startingState() {
    return config.start ? stateFromFile(config.start) : freshState();
  }

  /** Give every question its note and confidence fields, from the one template. */
  function addNoteFields() {
    const template = byId("note-template").content;
    for (const slot of document.querySelectorAll("[data-note]")) {
      const id = slot.dataset.note;
      const fields = template.cloneNode(true);
      fields.querySelector("details").id = `notebox-${id}`;
      fields.querySelector(".note-flag").id = `noteflag-${id}`;
      fields.querySelector("textarea").id = `note-${id}`;
      fields.querySelector("select").id = `conf-${id}`;
      fields.querySelector('[data-for="note"]').htmlFor = `note-${id}`;
      fields.querySelector('[data-for="conf"]').htmlFor = `conf-${id}`;
      slot.replaceWith(fields);
    }
  }

  function start() {
    addNoteFields();
    const kept = restore();
    state = kept ? kept.state : startingState();
    fill();
    refresh(false);
    if (kept && Object.keys(state.answers).length) {
      const when = kept.saved ? ` from ${new Date(kept.saved).toLocaleString()}` : "";
      say(`Welcome back: your answers${when} are here, kept by this browser.`);
    }
    questionArea.addEventListener("input", onEdit);
    questionArea.addEventListener("change", onEdit);
    // The skip link's target is the questions: in the review they are hidden, so show them
    // first; the link then moves focus to them (the area takes focus, tabindex -1).
    byId("skip").addEventListener("click", () => {
      if (!byId("review").hidden) showQuestions();
    });
    document.addEventListener("focusin", (event) => {
      const box = event.target.closest && event.target.closest("[data-question]");
      if (box && box.dataset.question !== current) {
        current = box.dataset.question;
        showProgress(resolveView());
      }
    });
    byId("to-review").addEventListener("click", showReview);
    byId("review-link").addEventListener("click", (event) => {
      event.preventDefault();
      showReview();
    });
    byId("back").addEventListener("click", () => {
      showQuestions();
      byId("to-review").focus();
    });
    // Save answers is the save form's submit button: Enter in the name field saves too.
    byId("save-form").addEventListener("submit", (event) => {
      event.preventDefault();
      save();
    });
    byId("participant").addEventListener("input", onName);
    byId("load-file").addEventListener("change", onLoad);
    byId("start-over").addEventListener("click", startOver);
    document.documentElement.classList.add("ready");
  }

  /*
   * For tests, and for anyone who wants to check the form from the browser's console: what
   * the form makes of an answers file's data, through the same code as "Continue from an
   * answers file".
   */
  globalThis.RewriteAdvisorForm = Object.freeze({
    /** Each question's state (known, unknown, unanswered, skipped) for a file's data. */
    states(data) {
      const view = resolveView(stateFromFile(data));
      return Object.fromEntries(QUESTIONS.map((q) => [q.id, view.state(q.id)]));
    },
    /** The questions that matter to the decision, for a file's data. */
    matters(data) {
      const view = resolveView(stateFromFile(data));
      return QUESTIONS.filter((q) => Conditions.matters(q, view)).map((q) => q.id);
    },
    /** The answers file that "Save answers" writes for a file's data. */
    write(data) {
      return yamlFile(fileData(stateFromFile(data)).data);
    },
    /** Why the form refuses a file's data, or null when it takes it. */
    refusal(data) {
      try {
        stateFromFile(data);
        return null;
      } catch (error) {
        if (error instanceof Invalid) return error.message;
        throw error;
      }
    },
    /** What the form says of a typed number or date (null when it is valid). */
    typedError(id, raw) {
      return understand(BY_ID.get(id), Object.assign(blankEntry(), { raw })).error || null;
    },
    /** What the form reads from a typed number or date: [value, error]. */
    typedAnswer(id, raw) {
      const meaning = understand(BY_ID.get(id), Object.assign(blankEntry(), { raw }));
      const value = meaning.value && meaning.value.iso ? meaning.value.iso : meaning.value;
      return [value === undefined ? null : value, meaning.error || null];
    },
  });

  start();
})();
