// The dashboards' charts, drawn with the vendored Chart.js from JSON blocks the server writes
// (<script type="application/json">, which a Content-Security-Policy lets through: nothing inline runs).
// The server decides every number (천원, rates rounded half-up as the tables print them); this file only
// draws them. Each chart has the table of the same numbers next to it in the page.
(() => {
  "use strict";

  // One colour and style per meaning, the same on every chart.
  const ROLES = {
    budget: { color: "#9aa3af" },
    previous: { color: "#c9ced6" },
    current: { color: "#1f4e9c" },
    commitment: { color: "#2a9d8f" },
    expenditure: { color: "#1f4e9c" },
    cumulative: { color: "#0b2a5b" },
    plan: { color: "#e07a1f", dash: [6, 4] },
    even: { color: "#9aa3af", dash: [2, 3] },
    target: { color: "#b42318" },
    forecast: { color: "#8fb3e8" },
    lapse: { color: "#e5a3a0" },
    // The years before on the curve of years, paler the further back.
    past1: { color: "#e07a1f" },
    past2: { color: "#2a9d8f" },
    past3: { color: "#8e6cc0" },
    past4: { color: "#b0a089" },
    past5: { color: "#c9ced6" },
  };

  const thousands = (n) => (n < 0 ? "△" : "") + Math.abs(n).toLocaleString("ko-KR");
  const percent = (n) => (n < 0 ? "△" : "") + Math.abs(n).toFixed(1) + "%";

  const dataset = (spec, series, chartType) => {
    const role = ROLES[series.role] || { color: "#5b6575" };
    const kind = series.kind === "line" || chartType === "line" ? "line" : "bar";
    const base = {
      type: kind,
      label: series.label,
      data: series.data,
      borderColor: role.color,
      backgroundColor: role.color,
    };
    if (kind === "line") {
      return {
        ...base,
        borderDash: role.dash || [],
        borderWidth: series.role === "expenditure" || series.role === "cumulative" ? 3 : 2,
        fill: false,
        // A month that is not known is null: no line is drawn through it, and a lone known month
        // (the report's cumulative figure) still shows as a visible point.
        spanGaps: false,
        // 원인행위 누계 is drawn as a larger point under 지출 누계, so that both show where they coincide.
        pointRadius: { even: 0, commitment: 6 }[series.role] ?? 4,
        pointHoverRadius: 7,
        stepped: spec.stepped ? "before" : false,
        tension: 0,
        order: series.role === "expenditure" || series.role === "cumulative" ? -1 : 0,
      };
    }
    return { ...base, order: 1, maxBarThickness: 36 };
  };

  // Words drawn on the canvas come from the page in the reader's language (data-unit, data-budget).
  const options = (spec, canvas) => {
    const format = spec.unit === "%" ? percent : thousands;
    const valueAxis = {
      beginAtZero: true,
      stacked: Boolean(spec.stacked),
      ticks: { callback: (v) => format(v) },
      title: { display: true, text: spec.unit === "%" ? "%" : canvas.dataset.unit },
    };
    if (spec.max) valueAxis.max = spec.max;
    // Room above 예산현액, so that its reference line does not sit on the chart's edge.
    if (spec.budget) valueAxis.suggestedMax = spec.budget * 1.08;
    const categoryAxis = {
      stacked: Boolean(spec.stacked),
      ticks: spec.compact ? { autoSkip: true, maxRotation: 0 } : { autoSkip: false },
    };
    const scales = spec.horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis };
    return {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: spec.horizontal ? "y" : "x",
      interaction: { mode: "index", intersect: false },
      scales,
      plugins: {
        // A small multiple shares the legend of the whole curve above it.
        legend: { display: !spec.compact, position: "bottom", labels: { boxWidth: 14 } },
        tooltip: {
          callbacks: {
            label: (c) => {
              const value = spec.horizontal ? c.parsed.x : c.parsed.y;
              return `${c.dataset.label}: ${value === null || value === undefined ? "-" : format(value)}`;
            },
          },
        },
        title: { display: Boolean(spec.title), text: spec.title },
        subtitle: { display: Boolean(spec.note), text: spec.note || "", color: "#b42318", padding: { bottom: 12 } },
      },
    };
  };

  // 예산현액 as a flat reference line on a cumulative curve.
  const budgetLine = (spec, canvas) => ({
    type: "line",
    label: canvas.dataset.budget,
    data: spec.labels.map(() => spec.budget),
    borderColor: "#5b6575",
    borderWidth: 1,
    borderDash: [1, 0],
    pointRadius: 0,
    fill: false,
    order: 2,
  });

  const draw = (canvas) => {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source || !window.Chart) return;
    const spec = JSON.parse(source.textContent);
    const datasets = spec.datasets.map((series) => dataset(spec, series, spec.type));
    if (spec.type === "line" && spec.budget !== undefined && spec.budget !== null) datasets.push(budgetLine(spec, canvas));
    // Horizontal bar charts grow with their rows so that long Korean names stay readable.
    if (spec.horizontal && spec.labels.length > 6) {
      canvas.parentElement.style.height = `${Math.min(40 + spec.labels.length * 28, 2400)}px`;
    }
    new window.Chart(canvas, { type: spec.type, data: { labels: spec.labels, datasets }, options: options(spec, canvas) });
  };

  const start = () => {
    if (!window.Chart) return;
    window.Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
