import * as chrono from "chrono-node";
import { words } from "./words";

/**
 * Dates in debtors' words, FR and EN, always forward from `now` (a promise or a return is in the future).
 * Results are calendar days: midnight UTC of the day meant. A few idioms chrono-node does not know
 * ("le 15", "fin du mois", "sous huit jours", "sous huitaine") are read first by the rules below.
 */
export type DateLocale = "fr" | "en" | "en-US";

export interface FoundDate {
  date: Date;
  /** The words the date was read from. */
  text: string;
}

const NUMBER_WORDS: Record<string, number> = {
  un: 1,
  une: 1,
  deux: 2,
  trois: 3,
  quatre: 4,
  cinq: 5,
  six: 6,
  sept: 7,
  huit: 8,
  neuf: 9,
  dix: 10,
  quinze: 15,
  vingt: 20,
  trente: 30,
  quarante: 40,
  soixante: 60,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  fourteen: 14,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  forty: 40,
  sixty: 60,
};
const NUMBER = `(\\d{1,3}|${Object.keys(NUMBER_WORDS).join("|")})`;

const FR_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"];
const EN_MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

interface Rule {
  pattern: RegExp;
  resolve: (match: RegExpExecArray, today: Date) => Date | null;
}

const RULES: Rule[] = [
  // "sous huit jours", "d'ici 15 jours", "within 8 days", "in ten days" (chrono knows only "dans 8 jours")
  {
    pattern: words(
      new RegExp(`\\b(?:sous|d'ici|dans|within|in)\\s+(?:les\\s+|the\\s+next\\s+)?${NUMBER}\\s+(jours?|days?|semaines?|weeks?)\\b`, "i"),
    ),
    resolve: (m, today) => addDays(today, amount(m[1]!) * (/^(semaine|week)/i.test(m[2]!) ? 7 : 1)),
  },
  { pattern: words(/\bsous\s+huitaine\b/i), resolve: (_m, today) => addDays(today, 8) },
  { pattern: words(/\bsous\s+quinzaine\b/i), resolve: (_m, today) => addDays(today, 15) },
  // "fin du mois", "fin de mois", "end of the month", "end of month"
  {
    pattern: words(/\b(?:(?:à\s+la\s+)?fin\s+(?:du|de)\s+mois|end\s+of\s+(?:the\s+)?month)\b/i),
    resolve: (_m, today) => endOfMonth(today, 0),
  },
  { pattern: words(/\b(?:fin\s+du\s+mois\s+prochain|end\s+of\s+next\s+month)\b/i), resolve: (_m, today) => endOfMonth(today, 1) },
  // "fin janvier", "end of January"
  {
    pattern: words(new RegExp(`\\b(?:fin(?:\\s+d[eu'])?\\s*(${FR_MONTHS.join("|")})|end\\s+of\\s+(${EN_MONTHS.join("|")}))\\b`, "i")),
    resolve: (m, today) => {
      const month = m[1] ? FR_MONTHS.indexOf(m[1].toLowerCase()) : EN_MONTHS.indexOf(m[2]!.toLowerCase());
      const year = month < today.getUTCMonth() ? today.getUTCFullYear() + 1 : today.getUTCFullYear();
      return new Date(Date.UTC(year, month + 1, 0));
    },
  },
  // "le 15", "the 15th", "on the 15th": a bare day of month is the next such day (not followed by a month)
  {
    pattern: words(
      new RegExp(
        `\\b(?:le|the|on\\s+the)\\s+(\\d{1,2})(?:er|st|nd|rd|th)?\\b(?!\\s*(?:[/.-]\\d|(?:${FR_MONTHS.join("|")}|${EN_MONTHS.join("|")}|janv|févr|avr|juil|sept|oct|nov|déc|jan|feb|mar|apr|jun|jul|aug|sep|dec|of)))`,
        "i",
      ),
    ),
    resolve: (m, today) => nextDayOfMonth(today, Number(m[1])),
  },
];

/** The first date found in `text`, forward from `now`, or null. */
export function findDate(text: string, now: Date, locale: DateLocale = "fr"): FoundDate | null {
  const today = startOfDay(now);
  const found: Array<FoundDate & { index: number }> = [];
  for (const rule of RULES) {
    const m = rule.pattern.exec(text);
    if (!m) continue;
    const date = rule.resolve(m, today);
    if (date) found.push({ date, text: m[0], index: m.index });
  }
  for (const parser of parsersFor(locale)) {
    for (const result of parser.parse(text, now, { forwardDate: true })) {
      // A bare time or a past day ("hier") is no promise.
      if (
        !result.start.isCertain("day") &&
        !result.start.isCertain("weekday") &&
        !/prochain|next|semaine|week|mois|month/i.test(result.text)
      )
        continue;
      const c = result.start;
      const date = new Date(Date.UTC(c.get("year")!, c.get("month")! - 1, c.get("day")!));
      if (date < today) continue;
      found.push({ date, text: result.text, index: result.index });
    }
  }
  found.sort((a, b) => a.index - b.index || b.text.length - a.text.length);
  const first = found[0];
  return first ? { date: first.date, text: first.text } : null;
}

function parsersFor(locale: DateLocale): chrono.Chrono[] {
  // French and British English read 05/01 as 5 January; only en-US reads it as May 1.
  if (locale === "en-US") return [chrono.en.casual, chrono.fr.casual];
  if (locale === "en") return [chrono.en.GB, chrono.fr.casual];
  return [chrono.fr.casual, chrono.en.GB];
}

function amount(word: string): number {
  return /^\d+$/.test(word) ? Number(word) : (NUMBER_WORDS[word.toLowerCase()] ?? 0);
}

export function startOfDay(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

function addDays(d: Date, days: number): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + days));
}

function endOfMonth(d: Date, monthsAhead: number): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + monthsAhead + 1, 0));
}

function nextDayOfMonth(today: Date, day: number): Date | null {
  if (day < 1 || day > 31) return null;
  for (let ahead = 0; ahead < 13; ahead++) {
    const y = today.getUTCFullYear();
    const m = today.getUTCMonth() + ahead;
    const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
    if (day > lastDay) continue;
    const candidate = new Date(Date.UTC(y, m, day));
    if (candidate >= today) return candidate;
  }
  return null;
}
