/**
 * Putting a page's data into the built page (dist/web/page.html): the page reads it from a
 * `<script type="application/json" id="rsl-data">` element. Pure string work, used by the CLI.
 */
import type { PageData } from './data.js';

export const DATA_PLACEHOLDER = '__RSL_PAGE_DATA__';
export const TITLE_PLACEHOLDER = '__RSL_PAGE_TITLE__';

/** JSON that is safe inside a script element: no `<`, so no `</script>` can end it early. */
export function scriptSafeJson(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The page with `data` in it. Throws when `template` is not the built page. */
export function embedPageData(template: string, data: PageData): string {
  if (!template.includes(DATA_PLACEHOLDER) || !template.includes(TITLE_PLACEHOLDER)) {
    throw new Error('the page template has no data placeholder (is it dist/web/page.html from `npm run build`?)');
  }
  // Functions as replacements, so `$` sequences in the data are not patterns.
  return template.replace(TITLE_PLACEHOLDER, () => escapeHtml(data.title)).replace(DATA_PLACEHOLDER, () => scriptSafeJson(data));
}
