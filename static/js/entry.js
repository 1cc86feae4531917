// The month sheet: cumulative figures, remaining budget and rate follow what is typed; Enter moves on.
// The server checks every rule again on save; this only shows the consequences while typing.
(() => {
  const sheet = document.getElementById("sheet");
  if (!sheet) return;

  // Amounts as people type them: "1,234,000" or "1234000"; anything else is not a number.
  const parse = (text) => {
    const cleaned = text.replace(/[\s원]/g, "");
    if (cleaned === "") return 0;
    if (!/^[+-]?(\d{1,3}(,\d{3})+|\d+)$/.test(cleaned)) return null;
    return Number(cleaned.replace(/,/g, ""));
  };
  const won = (n) => (n < 0 ? "△" : "") + Math.abs(n).toLocaleString("ko-KR");
  // Half-up to one decimal from integers, so 6.25 shows 6.3 as the server rounds it.
  const rate = (part, base) => {
    if (!base) return "-";
    const tenths = Math.floor((Math.abs(part) * 2000 + base) / (2 * base));
    const text = (tenths / 10).toFixed(1);
    return (part < 0 && tenths ? "△" : "") + text + "%";
  };

  const update = (row) => {
    const current = Number(row.dataset.current);
    const [commitInput, spendInput] = row.querySelectorAll("input.amount");
    const commit = parse(commitInput.value);
    const spend = parse(spendInput.value);
    commitInput.classList.toggle("invalid", commit === null);
    spendInput.classList.toggle("invalid", spend === null);
    if (commit === null || spend === null) return;
    const commitAfter = Number(row.dataset.commitmentBefore) + commit;
    const spendAfter = Number(row.dataset.expenditureBefore) + spend;
    const out = (name) => row.querySelector(`[data-out="${name}"]`);
    out("commitment-after").textContent = won(commitAfter);
    out("expenditure-after").textContent = won(spendAfter);
    out("uncommitted").textContent = won(current - commitAfter);
    out("rate").textContent = rate(spendAfter, current);
    row.classList.toggle("over-budget", commitAfter > current);
    row.classList.toggle("over-commitment", spendAfter > commitAfter);
    out("uncommitted").title = commitAfter > current ? "예산현액 초과" : "";
  };

  sheet.addEventListener("input", (event) => {
    const row = event.target.closest("tr[data-line]");
    if (row) update(row);
  });
  sheet.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || !event.target.matches("input")) return;
    event.preventDefault();
    const inputs = [...sheet.querySelectorAll("input:not([disabled])")];
    const next = inputs[inputs.indexOf(event.target) + 1];
    if (next) {
      next.focus();
      next.select();
    } else {
      document.getElementById("save")?.focus();
    }
  });
  sheet.querySelectorAll("tr[data-line]").forEach(update);
})();
