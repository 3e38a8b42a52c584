// Times as people read them: "2 hours ago", with the exact local date and time on hover.

const UNITS = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** A UTC stamp from the API ("2026-12-07T10:00:00.000000Z", or without its Z) as a Date. */
export function parseStamp(stamp) {
  if (!stamp) return null;
  const text = /[zZ]|[+-]\d\d:?\d\d$/.test(stamp) ? stamp : `${stamp}Z`;
  const date = new Date(text.replace(/(\.\d{3})\d+/, "$1"));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "just now", "5 minutes ago", "2 hours ago", "3 days ago", ... */
export function ago(date, now = new Date()) {
  const seconds = (now.getTime() - date.getTime()) / 1000;
  if (Math.abs(seconds) < 45) return "just now";
  const format = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(-Math.round(seconds / size), unit);
  }
  return format.format(-Math.round(seconds / 60), "minute");
}

/** The full local date and time, for a title. */
export function localTime(date) {
  return date.toLocaleString(undefined, { dateStyle: "full", timeStyle: "short" });
}
