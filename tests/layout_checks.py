"""What the browser tests measure in a page: boxes that stick out of their containers (a
clipped or hidden number) and the smallest chart text on screen. Plain JavaScript run by
Playwright in the real Chromium; each returns data the test asserts on."""

# Every number-bearing box (table cells, cards, chips, callouts, charts) against the box it
# must fit in: the table's wrapper (a scrolling wrapper hides what sticks out), <main> and the
# viewport. Returns one line per box that sticks out by more than a pixel.
CLIPPED = """() => {
  const out = [];
  const vw = document.documentElement.clientWidth;
  const main = document.querySelector('main').getBoundingClientRect();
  const check = (el, box, what) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) return;           // not shown (display: none)
    if (r.right > box.right + 1 || r.left < box.left - 1)
      out.push(`${what}: ${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 40)}" ` +
               `${Math.round(r.left)}-${Math.round(r.right)} outside ${Math.round(box.left)}-${Math.round(box.right)}`);
  };
  for (const el of document.querySelectorAll('.rk-table-wrap td, .rk-table-wrap th')) {
    const wrap = el.closest('.rk-table-wrap').getBoundingClientRect();
    check(el, wrap, 'table cell');
  }
  for (const el of document.querySelectorAll('.rk-card, .rk-chip, .rk-callout, .rk-chart img, .rk-headline, .rk-summary li, .rk-why li'))
    check(el, main, 'block');
  for (const el of document.querySelectorAll('main *')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > vw + 1) { check(el, {left: 0, right: vw}, 'page'); }
  }
  return [...new Set(out)];
}"""

# The smallest text of each chart as drawn on screen, in CSS px: the font sizes written in the
# SVG the <img> shows (its current source: the phone one on a narrow screen), scaled by the
# image's shown width against the SVG's own width.
CHART_TEXT_PX = """() => [...document.querySelectorAll('.rk-chart img')].map(img => {
  const src = img.currentSrc || img.src;
  const svg = atob(src.split(',')[1]);
  const width = parseFloat(svg.match(/<svg[^>]*width="([0-9.]+)pt"/)[1]);
  const sizes = [...svg.matchAll(/font[^;"]*?([0-9.]+)px/g)].map(m => parseFloat(m[1]));
  const scale = img.getBoundingClientRect().width / (width * 96 / 72);
  return {alt: img.alt.slice(0, 50), px: Math.min(...sizes) * 96 / 72 * scale, shown: img.getBoundingClientRect().width,
          column: img.closest('main').clientWidth};
})"""
