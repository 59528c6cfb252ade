/*
 * The JavaScript twin of conditions.py: the same `when` conditions with the same meaning, for
 * the browser answer form. Keep the two side by side: a test feeds both the same randomized
 * answers and conditions and requires identical results.
 *
 * Three values (Kleene logic): true, false, and null for undetermined. A comparison on a
 * question that is unanswered, answered "don't know" or skipped is undetermined, and `not` of
 * undetermined stays undetermined. Comparisons follow Python's rules: numbers and booleans
 * compare as numbers, texts by code point, lists element by element; a "YYYY-MM-DD" text is a
 * date; comparing things Python cannot order (a number with a text) is undetermined.
 *
 * Whether a question applies (`when`) and whether it matters (`critical`) are read with
 * skippedIsFalse, as compile_condition(..., skipped_is_false=True) reads them: a comparison
 * on a question that does not apply is false, so a question that depends on one that does
 * not apply does not apply either.
 */
"use strict";
globalThis.RewriteAdvisorConditions = (() => {
  /** A calendar date, as Python's datetime.date: equal to another date, never to a text. */
  class PyDate {
    constructor(iso) {
      this.iso = iso;
    }
  }

  const ISO = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

  /** The PyDate for a real calendar date written YYYY-MM-DD, else null. */
  function isoDate(text) {
    const match = typeof text === "string" ? ISO.exec(text) : null;
    if (!match) return null;
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    if (year < 1 || month < 1 || month > 12 || day < 1) return null;
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
    return day <= days ? new PyDate(text) : null;
  }

  const asComparable = (value) => (typeof value === "string" && isoDate(value)) || value;
  const isNumber = (value) => typeof value === "number" || typeof value === "boolean";

  function truthy(value) {
    if (Array.isArray(value) || typeof value === "string") return value.length > 0;
    if (isNumber(value)) return Number(value) !== 0;
    return value !== null && value !== undefined;
  }

  /** Python's ==, which never fails. */
  function equal(a, b) {
    if (isNumber(a) && isNumber(b)) return Number(a) === Number(b);
    if (typeof a === "string" && typeof b === "string") return a === b;
    if (a instanceof PyDate && b instanceof PyDate) return a.iso === b.iso;
    if (Array.isArray(a) && Array.isArray(b)) {
      return a.length === b.length && a.every((item, i) => equal(item, b[i]));
    }
    return false;
  }

  class Undetermined extends Error {}

  function codePointOrder(a, b) {
    const x = Array.from(a, (ch) => ch.codePointAt(0));
    const y = Array.from(b, (ch) => ch.codePointAt(0));
    for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
      if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
    }
    return Math.sign(x.length - y.length);
  }

  const ORDER = {
    gt: (sign) => sign > 0,
    gte: (sign) => sign >= 0,
    lt: (sign) => sign < 0,
    lte: (sign) => sign <= 0,
  };

  /** Python's a > b (and >=, <, <=); throws Undetermined where Python raises TypeError. */
  function ordered(a, b, op) {
    if (isNumber(a) && isNumber(b)) return ORDER[op](Math.sign(Number(a) - Number(b)));
    if (typeof a === "string" && typeof b === "string") return ORDER[op](codePointOrder(a, b));
    if (a instanceof PyDate && b instanceof PyDate) return ORDER[op](codePointOrder(a.iso, b.iso));
    if (Array.isArray(a) && Array.isArray(b)) {
      for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
        if (!equal(a[i], b[i])) return ordered(a[i], b[i], op);
      }
      return ORDER[op](Math.sign(a.length - b.length));
    }
    throw new Undetermined();
  }

  /** Python's `item in (container or [])`; throws Undetermined where Python raises TypeError. */
  function contains(container, item) {
    if (!truthy(container)) return false;
    if (Array.isArray(container)) return container.some((each) => equal(each, item));
    if (typeof container === "string" && typeof item === "string") {
      return container.includes(item);
    }
    throw new Undetermined();
  }

  const OPERATORS = ["equals", "in", "includes", "includes_any", "gt", "gte", "lt", "lte", "is"];
  const isRef = (operand) =>
    operand !== null && typeof operand === "object" && !Array.isArray(operand);

  /** A view of the answers: each question's state and, for known answers, its typed value. */
  class View {
    constructor(states, values) {
      this.states = states;
      this.values = values;
    }

    state(question) {
      return Object.prototype.hasOwnProperty.call(this.states, question)
        ? this.states[question]
        : "unanswered";
    }

    value(question) {
      return this.state(question) === "known" ? this.values[question] : null;
    }
  }

  function compare(cond, view, skippedIsFalse) {
    const op = OPERATORS.find((name) => Object.prototype.hasOwnProperty.call(cond, name));
    const state = view.state(cond.question);
    if (op === "is") {
      return cond.is === "answered" ? state === "known" || state === "unknown" : state === cond.is;
    }
    let right = cond[op];
    if (skippedIsFalse) {
      const names = [cond.question, ...(isRef(right) ? [right.question] : [])];
      if (names.some((name) => view.state(name) === "skipped")) return false;
    }
    if (state !== "known") return null;
    const left = view.value(cond.question);
    if (isRef(right)) {
      if (view.state(right.question) !== "known") return null;
      right = view.value(right.question);
    }
    try {
      switch (op) {
        case "equals":
          return equal(asComparable(left), asComparable(right));
        case "in":
          return right.some((item) => equal(asComparable(left), asComparable(item)));
        case "includes":
          return contains(left, right);
        case "includes_any":
          return right.some((item) => contains(left, item));
        default:
          return ordered(asComparable(left), asComparable(right), op);
      }
    } catch (error) {
      if (error instanceof Undetermined) return null;
      throw error;
    }
  }

  /** Evaluate a condition: true, false, or null for undetermined. */
  function evaluate(cond, view, skippedIsFalse = false) {
    if (Array.isArray(cond.all)) {
      const results = cond.all.map((part) => evaluate(part, view, skippedIsFalse));
      if (results.includes(false)) return false;
      return results.includes(null) ? null : true;
    }
    if (Array.isArray(cond.any)) {
      const results = cond.any.map((part) => evaluate(part, view, skippedIsFalse));
      if (results.includes(true)) return true;
      return results.includes(null) ? null : false;
    }
    if (Object.prototype.hasOwnProperty.call(cond, "not")) {
      const inner = evaluate(cond.not, view, skippedIsFalse);
      return inner === null ? null : !inner;
    }
    return compare(cond, view, skippedIsFalse);
  }

  /** A question applies unless its `when` is definitely false (bank.Question.applies). */
  const applies = (question, view) =>
    !question.when || evaluate(question.when, view, true) !== false;

  /** Whether a question matters to the decision; undetermined counts (Question.matters). */
  function matters(question, view) {
    const critical = question.critical;
    if (critical === null || typeof critical !== "object") return critical === true;
    return evaluate(critical, view, true) !== false;
  }

  /**
   * Every question's state in bank order, applying each `when` (answers.resolve_view).
   * `given` maps a question id to {state, value}; questions are in the order they are asked.
   */
  function resolve(questions, given) {
    const view = new View({}, {});
    for (const question of questions) {
      const answer = Object.prototype.hasOwnProperty.call(given, question.id)
        ? given[question.id]
        : null;
      if (!applies(question, view)) {
        view.states[question.id] = "skipped";
      } else if (!answer) {
        view.states[question.id] = "unanswered";
      } else {
        view.states[question.id] = answer.state;
        if (answer.state === "known") view.values[question.id] = answer.value;
      }
    }
    return view;
  }

  return Object.freeze({ PyDate, View, isoDate, evaluate, applies, matters, resolve });
})();
