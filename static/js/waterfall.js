// The build-up of a line's 예산현액 as a waterfall, in won like the table beside it: the first amount as a
// bar from zero, each later change floating from the total before it to the total after it (up in blue,
// down in red), and the 예산현액 it comes to as a full bar; each bar carries its amount.
document.addEventListener("DOMContentLoaded", () => {
  const canvas = document.getElementById("buildup-chart");
  const source = document.getElementById("buildup-data");
  if (!canvas || !source || !window.Chart) return;
  const { bars } = JSON.parse(source.textContent);
  const won = (n) => (n < 0 ? "△" : "") + Math.abs(n).toLocaleString("ko-KR");
  const signed = (bar) => (bar.kind === "up" ? "+" : "") + won(bar.value);
  const colours = { start: "#5b6575", up: "#1f4e9c", down: "#b42318", total: "#1d2430" };
  const labels = {
    id: "barValues",
    afterDatasetsDraw(chart) {
      const { ctx } = chart;
      ctx.save();
      ctx.font = "12px sans-serif";
      ctx.fillStyle = "#1d2430";
      ctx.textAlign = "center";
      chart.getDatasetMeta(0).data.forEach((element, i) => {
        const bar = bars[i];
        const top = Math.min(element.y, element.base);
        ctx.fillText(bar.kind === "start" || bar.kind === "total" ? won(bar.value) : signed(bar), element.x, top - 4);
      });
      ctx.restore();
    },
  };
  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: bars.map((b) => b.label),
      datasets: [
        {
          data: bars.map((b) => [b.from, b.to]),
          backgroundColor: bars.map((b) => colours[b.kind]),
          barPercentage: 0.7,
        },
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      layout: { padding: { top: 22 } },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (c) => `${won(c.raw[0])} → ${won(c.raw[1])}` } },
      },
      scales: { y: { beginAtZero: true, ticks: { callback: (v) => won(v) } } },
    },
    plugins: [labels],
  });
});
