// The revenue sheet keeps the month sheet's habits (static/js/entry.js) that matter on a sheet of a few lines:
// a cell's whole value is selected on entry, so typing replaces it; thousands separators appear while typing;
// Enter and the up and down arrows move down and up a column, and Enter never submits (only the save button
// saves); the row's 누계, 미수납액 and 수납률 follow every key, and a row collecting beyond its 예산현액 is
// marked (allowed: the server saves and flags it). The server checks every rule again on save.
(() => {
  const sheet = document.getElementById("revenue-sheet");
  if (!sheet) return;
  const text = sheet.dataset;
  const rows = [...sheet.querySelectorAll("tr[data-line]")];
  const cellsOf = (row) => [...row.querySelectorAll("input.cell")];

  const { parse, grouped, won, rate } = window.budgetAmounts;

  const show = (row, amount) => {
    const current = Number(row.dataset.current);
    const after = Number(row.dataset.before) + amount;
    row.querySelector('[data-out="after"]').textContent = won(after);
    const uncollected = row.querySelector('[data-out="uncollected"]');
    uncollected.textContent = won(current - after);
    uncollected.title = after > current ? text.over : "";
    row.querySelector('[data-out="rate"]').textContent = rate(after, current);
    row.classList.toggle("over-budget", after > current);
  };
  const amountOf = (row) => parse(row.querySelector("input.amount").value);
  const update = (row) => {
    const input = row.querySelector("input.amount");
    const amount = amountOf(row);
    input.classList.toggle("invalid", amount === null);
    input.title = amount === null ? text.notAmount : "";
    if (amount !== null) show(row, amount);
    // The 계 row: every line's month as typed (a cell that is not an amount yet adds nothing).
    const total = document.getElementById("revenue-total");
    const month = rows.reduce((sum, r) => sum + (amountOf(r) ?? 0), 0);
    total.querySelector('[data-out="collected"]').textContent = won(month);
    show(total, month);
  };
  // Separators while typing; a value that is not a number is left as typed and marked.
  const regroup = (input) => {
    const value = input.value.replace(/△/g, "-");
    if (!/^[+-]?[\d,]*$/.test(value)) return;
    const sign = value.startsWith("-") ? "-" : "";
    const next = sign + grouped(value.replace(/[^\d]/g, "").replace(/^0+(?=\d)/, ""));
    if (next !== input.value) input.value = next;
  };

  const move = (input, step) => {
    const row = input.closest("tr[data-line]");
    const column = cellsOf(row).indexOf(input);
    for (let i = rows.indexOf(row) + step; i >= 0 && i < rows.length; i += step) {
      const target = cellsOf(rows[i])[column];
      if (target && !target.disabled) {
        target.focus();
        target.select();
        return;
      }
    }
  };
  sheet.closest("form").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.matches("input:not([type=submit])")) event.preventDefault();
    if (!event.target.matches("input.cell")) return;
    if (event.key === "Enter") move(event.target, event.shiftKey ? -1 : 1);
    else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      move(event.target, event.key === "ArrowDown" ? 1 : -1);
    }
  });
  sheet.addEventListener("focusin", (event) => {
    if (event.target.matches("input.cell")) event.target.select();
  });
  sheet.addEventListener("input", (event) => {
    if (!event.target.matches("input.amount")) return;
    regroup(event.target);
    update(event.target.closest("tr[data-line]"));
  });
  document.getElementById("sheet-problems")?.focus();
})();
