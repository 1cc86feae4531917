// The build-up of a line's 예산현액 as a waterfall: each bar floats from the total before a change to after it.
document.addEventListener("DOMContentLoaded", () => {
  const canvas = document.getElementById("buildup-chart");
  const source = document.getElementById("buildup-data");
  if (!canvas || !source || !window.Chart) return;
  const data = JSON.parse(source.textContent);
  const colours = data.ranges.map(([start, end]) => (end >= start ? "#1f4e9c" : "#b42318"));
  const thousands = (n) => (n < 0 ? "△" : "") + Math.abs(n).toLocaleString("ko-KR");
  new window.Chart(canvas, {
    type: "bar",
    data: { labels: data.labels, datasets: [{ label: "예산현액(천원)", data: data.ranges, backgroundColor: colours }] },
    options: {
      animation: false,
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (c) => `${thousands(c.raw[0])} → ${thousands(c.raw[1])}` } },
      },
      scales: { y: { ticks: { callback: (v) => thousands(v) } } },
    },
  });
});
