/**
 * The transparency report's stylesheet, written into the document (it is published on its own,
 * so it carries everything it needs: system fonts, no image, no URL). The chart rules are the
 * console's (apps/console-api/src/console-web/assets/console.css), for the same chart module.
 */
export const TRANSPARENCY_STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body {
  margin: 0 auto;
  max-width: 60rem;
  padding: 1.5rem 1.25rem 3rem;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", sans-serif;
  color: #1d2025;
  background: #fff;
}
h1 { font-size: 1.75rem; line-height: 1.2; margin: 0 0 0.25rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 0.75rem; padding-top: 0.5rem; border-top: 2px solid #1d2025; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 0.25rem; }
p { margin: 0.5rem 0; }
.period { color: #4a4f57; margin: 0; }
.key-figures {
  display: grid;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 14rem), 1fr));
  gap: 0.75rem;
  margin: 0;
}
.key-figure { border: 1px solid #d5d9e0; border-radius: 6px; padding: 0.75rem 0.9rem; break-inside: avoid; }
.key-figure dt { font-weight: 600; font-size: 0.95rem; }
.key-figure dd { margin: 0; }
.key-figure .value { font-size: 1.6rem; font-weight: 700; line-height: 1.25; margin: 0.2rem 0; font-variant-numeric: tabular-nums; }
.key-figure .value.withheld { font-size: 1.1rem; font-weight: 600; color: #4a4f57; }
.key-figure .note { font-size: 0.85rem; color: #4a4f57; }
table { border-collapse: collapse; width: 100%; margin: 0.75rem 0 1rem; font-variant-numeric: tabular-nums; break-inside: avoid; }
caption { text-align: start; font-weight: 600; margin-bottom: 0.25rem; }
th, td { padding: 0.35rem 0.5rem; border-bottom: 1px solid #e3e6eb; text-align: end; vertical-align: top; }
th:first-child { text-align: start; font-weight: 400; }
thead th { font-weight: 600; border-bottom: 2px solid #6b7280; }
tfoot th, tfoot td { font-weight: 600; border-top: 2px solid #6b7280; }
td.withheld { color: #4a4f57; font-style: italic; }
td[data-seconds] { white-space: nowrap; }
/* A table wider than a phone scrolls by itself; the page never does. */
.table-scroll { overflow-x: auto; margin: 0.75rem 0 1rem; }
.table-scroll table { margin: 0; }
.definitions div { margin: 0 0 0.6rem; }
.definitions dt { font-weight: 600; }
.definitions dd { margin: 0; }
.notes { font-size: 0.9rem; padding-inline-start: 1.25rem; }
.notes li { margin: 0 0 0.4rem; }
sup a { color: inherit; text-decoration: none; padding: 0 0.1rem; }
a { color: #1f4fa6; }
.chart-note { font-size: 0.85rem; color: #4a4f57; }
.chart-grid {
  display: grid;
  gap: 1rem;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 17rem), 1fr));
  align-items: start;
  margin: 0 0 1rem;
}
.chart-figure { margin: 0; break-inside: avoid; }
.chart-figure figcaption { font-weight: 600; margin: 0 0 0.25rem; }
svg.chart { display: block; width: 100%; height: auto; overflow: visible; }
svg.chart text { font-size: 12px; fill: #4a4f57; }
svg.chart .chart-rule { stroke: #e3e6eb; stroke-width: 1; }
svg.chart .chart-baseline { stroke: #6b7280; stroke-width: 1; }
svg.chart .chart-bar { fill: #2f6fd6; }
svg.chart .chart-suppressed { fill: #f1f3f6; stroke: #8a9099; stroke-width: 1; stroke-dasharray: 3 2; }
svg.chart .chart-empty { fill: transparent; }
svg.chart .chart-line { fill: none; stroke-width: 2; }
svg.chart .median .chart-line { stroke: #0f7b6c; }
svg.chart .median .chart-dot { fill: #0f7b6c; }
svg.chart .p90 .chart-line { stroke: #b34700; stroke-dasharray: 5 3; }
svg.chart .p90 .chart-dot { fill: #b34700; }
.chart-legend { list-style: none; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; margin: 0.25rem 0 0.75rem; padding: 0; font-size: 0.85rem; color: #4a4f57; }
.swatch { display: inline-block; width: 0.9rem; margin-inline-end: 0.35rem; }
.swatch.line { height: 0; vertical-align: 0.2rem; border-top: 3px solid; }
.swatch.line.median { border-top-color: #0f7b6c; }
.swatch.line.p90 { border-top-style: dashed; border-top-color: #b34700; }
@media (max-width: 40rem) {
  body { padding: 1rem 0.75rem 2rem; }
  table { font-size: 0.85rem; }
  th, td { padding: 0.3rem 0.3rem; }
  td[data-seconds] { white-space: normal; }
}
@page { size: A4; margin: 16mm 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  h2 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
`;
