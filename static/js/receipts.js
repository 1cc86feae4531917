// The revenue sheet keeps the month sheet's keyboard habits (static/js/entry.js) that matter on a sheet of a
// few lines: a cell's whole value is selected on entry, so typing replaces it; Enter and the up and down
// arrows move down and up a column; Enter never submits, only the save button saves.
(() => {
  const sheet = document.getElementById("revenue-sheet");
  if (!sheet) return;
  const rows = [...sheet.querySelectorAll("tr[data-line]")];
  const cellsOf = (row) => [...row.querySelectorAll("input.cell")];
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
  document.getElementById("sheet-problems")?.focus();
})();
