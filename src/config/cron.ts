/**
 * The longest gap, in minutes, between two runs of a 5-field cron schedule. Enough cron for backup
 * schedules: numbers, `*`, ranges, lists and steps. Restricted day/month/weekday fields mean "not every
 * day", so the gap is at least a day.
 */
export function maxIntervalMinutes(expr: string): number {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error('a cron schedule has 5 fields: minute hour day-of-month month day-of-week');
  const minutes = expand(fields[0], 0, 59, 'minute');
  const hours = expand(fields[1], 0, 23, 'hour');
  expand(fields[2], 1, 31, 'day-of-month');
  expand(fields[3], 1, 12, 'month');
  expand(fields[4], 0, 7, 'day-of-week');
  const fires: number[] = [];
  for (const h of hours) for (const m of minutes) fires.push(h * 60 + m);
  fires.sort((a, b) => a - b);
  let gap = fires[0] + 1440 - fires[fires.length - 1];
  for (let i = 1; i < fires.length; i++) gap = Math.max(gap, fires[i] - fires[i - 1]);
  const everyDay = fields.slice(2).every((f) => f === '*');
  return everyDay ? gap : Math.max(gap, 1440);
}

function expand(field: string, lo: number, hi: number, what: string): number[] {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new Error(`cannot read the ${what} field "${field}"`);
    const step = m[4] ? Number(m[4]) : 1;
    let from = lo;
    let to = hi;
    if (m[1] !== '*') {
      // An optional group that did not take part in the match is undefined (RegExpExecArray says string).
      const end = m[3] as string | undefined;
      from = Number(m[2]);
      to = end !== undefined ? Number(end) : m[4] ? hi : from;
    }
    if (from < lo || to > hi || from > to || step < 1) throw new Error(`the ${what} field "${field}" is out of range ${lo}-${hi}`);
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return [...out];
}
