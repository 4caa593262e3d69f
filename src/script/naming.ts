/**
 * How a new revision is named and dated: ids, slugs, fileTemplate tokens and the
 * Create Date line, in the config's timezone (Intl; no tz database of our own).
 */
import { randomBytes } from 'node:crypto';
import { CommandError } from '../errors.js';

/** 12 lowercase hex characters, as Alembic generates. */
export function generateRevisionId(): string {
  return randomBytes(6).toString('hex');
}

/** Words of the message joined by `_`, lower-cased, cut at a word boundary (Alembic's rule). */
export function slugify(message: string, truncateLength: number): string {
  const slug = (message.match(/[\p{L}\p{N}_]+/gu) ?? []).join('_').toLowerCase();
  if (slug.length <= truncateLength) return slug;
  const cut = slug.slice(0, truncateLength);
  const lastUnderscore = cut.lastIndexOf('_');
  return (lastUnderscore === -1 ? cut : cut.slice(0, lastUnderscore)) + '_';
}

export interface DateParts {
  readonly year: string;
  readonly month: string;
  readonly day: string;
  readonly hour: string;
  readonly minute: string;
  readonly second: string;
  /** '+01:00' when a timezone is configured; '' for local time (as Alembic prints). */
  readonly offset: string;
}

export function dateParts(date: Date, timezone?: string): DateParts {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit',
    hourCycle: 'h23',
    ...(timezone ? { timeZoneName: 'longOffset' as const } : {}),
  });
  const parts = Object.fromEntries(format.formatToParts(date).map((part) => [part.type, part.value]));
  const zone = String(parts.timeZoneName ?? '');
  const offset = timezone ? (zone === 'GMT' ? '+00:00' : zone.replace(/^GMT/, '')) : '';
  return {
    year: parts.year!, month: parts.month!, day: parts.day!,
    hour: parts.hour!, minute: parts.minute!, second: parts.second!, offset,
  };
}

/** `2026-03-10 14:05:22.654000` (plus `+01:00` with a timezone), Alembic's format. */
export function formatCreateDate(date: Date, timezone?: string): string {
  const p = dateParts(date, timezone);
  const micros = String(date.getMilliseconds() * 1000).padStart(6, '0');
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}.${micros}${p.offset}`;
}

const TOKENS = ['rev', 'slug', 'epoch', 'year', 'month', 'day', 'hour', 'minute', 'second'] as const;

/** Fills `{rev}_{slug}`-style templates; date tokens are zero-padded so names sort. */
export function renderFileName(
  fileTemplate: string,
  values: { rev: string; message: string; date: Date; timezone?: string; truncateSlugLength: number },
): string {
  const parts = dateParts(values.date, values.timezone);
  const tokens: Record<(typeof TOKENS)[number], string> = {
    rev: values.rev,
    slug: slugify(values.message, values.truncateSlugLength),
    epoch: String(Math.floor(values.date.getTime() / 1000)),
    year: parts.year, month: parts.month, day: parts.day,
    hour: parts.hour, minute: parts.minute, second: parts.second,
  };
  return fileTemplate.replace(/\{(\w*)\}/g, (_all, token: string) => {
    if (!(TOKENS as readonly string[]).includes(token)) {
      throw new CommandError(`Unknown token {${token}} in fileTemplate '${fileTemplate}': use ${TOKENS.map((t) => `{${t}}`).join(' ')}.`);
    }
    return tokens[token as (typeof TOKENS)[number]];
  });
}
