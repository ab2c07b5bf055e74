import i18n from '../i18n';

/** The browser's own locale when it speaks the chosen language (en-GB, fr-CA...), else the language. */
export function locale(): string {
  return navigator.languages.find((l) => l.toLowerCase().startsWith(i18n.language)) ?? i18n.language;
}

/** A date and time in the user's locale and time zone. */
export function localDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** The same instant in UTC, for deadlines agreed across time zones. */
export function utcDateTime(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function number(n: number): string {
  return new Intl.NumberFormat(locale()).format(n);
}

/** `<input type="datetime-local">` value for an instant, in the user's zone, and back. */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
