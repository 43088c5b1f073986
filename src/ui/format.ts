/**
 * Numbers and dates for the page without Intl: the first Intl formatter a page creates loads locale data, and
 * that cost 100-200 ms of the start-up's main thread on a slow phone (Lighthouse's mobile profile). Pure.
 */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 1199882 -> "1,199,882". */
export function formatCount(n: number): string {
  const [whole, fraction] = String(n).split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** An ISO date as "25 Nov 2026, 11:34" in the device's time zone, or "unknown". */
export function formatDate(iso: string): string {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return 'unknown';
  const two = (v: number) => String(v).padStart(2, '0');
  return `${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()}, ${two(d.getHours())}:${two(d.getMinutes())}`;
}
