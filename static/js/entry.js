// The month sheet as finance staff use a spreadsheet: a cell's whole value is selected on entry, so typing
// replaces it; thousands separators appear while typing; Enter moves down a column and the arrows move
// between cells; a block pasted from Excel or LibreOffice fills the cells from the focused one; the row's
// and the 계 row's figures follow every key; leaving with unsaved changes asks first; a save posts only the
// cells that changed. The server checks every rule again on save: this only shows what a value would do.
(() => {
  const sheet = document.getElementById("sheet");
  if (!sheet) return;
  const form = sheet.closest("form");
  const text = sheet.dataset;
  const status = document.getElementById("sheet-status");
  const rows = [...sheet.querySelectorAll("tr[data-line]")];
  const total = document.getElementById("sheet-total");
  const MAX = 1e12; // budget.amounts.MAX_AMOUNT: 1조 won

  const { normalise, grouped, won, rate } = window.budgetAmounts;
  // Beyond 1조 won is not an amount either, as budget.amounts.parse_amount has it.
  const parse = (value) => {
    const number = window.budgetAmounts.parse(value);
    return number !== null && Math.abs(number) > MAX ? null : number;
  };

  const cellsOf = (row) => [...row.querySelectorAll("input.cell")];
  const isAmount = (input) => input.classList.contains("amount");
  const changed = (input) => {
    if (!isAmount(input)) return input.value.trim() !== input.dataset.stored.trim();
    const now = parse(input.value);
    return now === null ? input.value.trim() !== input.dataset.stored : now !== parse(input.dataset.stored);
  };
  // What a cell adds to the 계 row beyond what is stored; a value that is not an amount adds nothing yet.
  const delta = (input) => {
    const now = parse(input.value);
    return now === null ? 0 : now - parse(input.dataset.stored);
  };

  const show = (row, name, value) => {
    const out = row.querySelector(`[data-out="${name}"]`);
    if (out) out.textContent = value;
  };
  const figures = (row, commit, spend) => {
    const current = Number(row.dataset.current);
    const commitAfter = Number(row.dataset.commitmentBefore) + commit;
    const spendAfter = Number(row.dataset.expenditureBefore) + spend;
    show(row, "commitment-after", won(commitAfter));
    show(row, "expenditure-after", won(spendAfter));
    show(row, "uncommitted", won(current - commitAfter));
    show(row, "rate", rate(spendAfter, current));
    row.classList.toggle("over-budget", commitAfter > current);
    row.classList.toggle("over-commitment", spendAfter > commitAfter);
    const uncommitted = row.querySelector('[data-out="uncommitted"]');
    if (uncommitted) uncommitted.title = commitAfter > current ? text.over : "";
  };

  const check = (input) => {
    const bad = isAmount(input) && parse(input.value) === null;
    input.classList.toggle("invalid", bad);
    input.toggleAttribute("aria-invalid", bad);
    input.title = bad ? text.notAmount : "";
    input.classList.toggle("changed", changed(input));
  };
  const updateRow = (row) => {
    const [commitInput, spendInput] = cellsOf(row);
    [commitInput, spendInput].forEach(check);
    const commit = parse(commitInput.value);
    const spend = parse(spendInput.value);
    if (commit !== null && spend !== null) figures(row, commit, spend);
  };
  const updateTotal = () => {
    if (!total) return;
    let commit = Number(total.dataset.commitment);
    let spend = Number(total.dataset.expenditure);
    rows.forEach((row) => {
      const [commitInput, spendInput] = cellsOf(row);
      commit += delta(commitInput);
      spend += delta(spendInput);
    });
    show(total, "commitment", won(commit));
    show(total, "expenditure", won(spend));
    figures(total, commit, spend);
  };
  const dirty = () => [...sheet.querySelectorAll("input.cell:not([disabled])")].filter(changed);
  const say = (message) => {
    if (status) status.textContent = message;
  };
  const updateStatus = () => {
    const count = dirty().length;
    say(count ? text.unsaved.replace("{n}", count) : "");
  };

  // Thousands separators while typing, the caret staying after the same digit. Only a value that is
  // still a number is rewritten; anything else is left as typed and marked.
  const regroup = (input) => {
    const raw = input.value;
    const value = raw.replace(/△/g, "-");
    if (!/^[+-]?[\d,]*$/.test(value)) return;
    const caret = input.selectionStart ?? raw.length;
    const sign = value.startsWith("-") ? "-" : "";
    let digits = value.replace(/[^\d]/g, "");
    let before = raw.slice(0, caret).replace(/[^\d]/g, "").length;
    const zeros = digits.length - digits.replace(/^0+(?=\d)/, "").length;
    digits = digits.slice(zeros);
    before = Math.max(0, before - zeros);
    const next = sign + grouped(digits);
    if (next === raw) return;
    let position = sign.length;
    for (let seen = 0; position < next.length && seen < before; position += 1) {
      if (/\d/.test(next[position])) seen += 1;
    }
    input.value = next;
    input.setSelectionRange(position, position);
  };

  // Moving like a spreadsheet: rows are the lines, columns their three cells; disabled cells are skipped.
  const position = (input) => {
    const row = input.closest("tr[data-line]");
    return [rows.indexOf(row), cellsOf(row).indexOf(input)];
  };
  const enter = (input) => {
    input.focus();
    input.select();
  };
  const moveVertically = (input, step) => {
    const [r, c] = position(input);
    for (let i = r + step; i >= 0 && i < rows.length; i += step) {
      const target = cellsOf(rows[i])[c];
      if (target && !target.disabled) return enter(target);
    }
  };
  const moveAcross = (input, step) => {
    const [r, c] = position(input);
    const cells = cellsOf(rows[r]);
    for (let j = c + step; j >= 0 && j < cells.length; j += step) {
      if (!cells[j].disabled) return enter(cells[j]);
    }
  };

  sheet.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      // Nothing in the sheet leaves the page or submits it on Enter: only the save button saves.
      event.preventDefault();
      if (event.target.matches("input.cell")) moveVertically(event.target, event.shiftKey ? -1 : 1);
      return;
    }
    const input = event.target;
    if (!input.matches("input.cell") || event.altKey || event.ctrlKey || event.metaKey) return;
    const { selectionStart: start, selectionEnd: end, value } = input;
    const whole = start === 0 && end === value.length;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      moveVertically(input, event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "ArrowLeft" && start === 0 && (end === 0 || whole)) {
      event.preventDefault();
      moveAcross(input, -1);
    } else if (event.key === "ArrowRight" && end === value.length && (start === end || whole)) {
      event.preventDefault();
      moveAcross(input, 1);
    }
  });
  // Enter in the save memo would submit the form as well: there too only the button saves.
  form.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.target.matches("input:not([type=submit])")) event.preventDefault();
  });

  // The whole value is selected however a cell is entered. A click would place the caret on mouseup and
  // undo the selection, so the mouseup of the click that focused the cell is cancelled.
  let clicked = null;
  sheet.addEventListener("mousedown", (event) => {
    if (event.target.matches("input.cell") && document.activeElement !== event.target) clicked = event.target;
  });
  sheet.addEventListener("mouseup", (event) => {
    if (event.target === clicked) {
      event.preventDefault();
      event.target.select();
    }
    clicked = null;
  });
  sheet.addEventListener("focusin", (event) => {
    if (event.target.matches("input.cell")) event.target.select();
  });

  sheet.addEventListener("input", (event) => {
    const input = event.target;
    if (!input.matches("input.cell")) return;
    if (isAmount(input)) regroup(input);
    const row = input.closest("tr[data-line]");
    updateRow(row);
    check(input);
    updateTotal();
    updateStatus();
  });

  // A pasted value is written as a typed one would be: normalised and grouped when it is an amount, left as
  // pasted and marked when it is not.
  const write = (input, value) => {
    if (!isAmount(input)) {
      input.value = value.trim();
      return;
    }
    const number = parse(value);
    if (number === null) input.value = value.trim();
    else if (normalise(value) === "") input.value = "";
    else input.value = (number < 0 ? "-" : "") + grouped(String(Math.abs(number)));
  };
  sheet.addEventListener("paste", (event) => {
    const input = event.target;
    if (!input.matches("input.cell")) return;
    const data = (event.clipboardData || window.clipboardData).getData("text/plain");
    if (data === "") return;
    event.preventDefault();
    const lines = data.replace(/\r\n?/g, "\n").replace(/\n$/, "").split("\n");
    const block = lines.map((line) => line.split("\t"));
    const [r0, c0] = position(input);
    let filled = 0;
    let skipped = 0;
    const touched = new Set();
    block.forEach((values, i) => {
      const row = rows[r0 + i];
      values.forEach((value, j) => {
        const target = row && cellsOf(row)[c0 + j];
        if (!target || target.disabled) {
          // A blank or a zero for a cell that takes no input (예비비) is what it holds already.
          if (value.trim() !== "" && parse(value) !== 0) skipped += 1;
          return;
        }
        write(target, value);
        check(target);
        touched.add(row);
        filled += 1;
      });
    });
    touched.forEach(updateRow);
    updateTotal();
    updateStatus();
    const message = text.pasted.replace("{n}", filled);
    say(skipped ? `${message} · ${text.pasteSkipped.replace("{n}", skipped)}` : message);
    input.select();
  });

  // Leaving with unsaved changes asks first; saving does not.
  let saving = false;
  window.addEventListener("beforeunload", (event) => {
    if (saving || !dirty().length) return;
    event.preventDefault();
    event.returnValue = "";
  });
  // Only the changed cells are posted (a sheet of any length stays within the request's limits); the
  // server reads every other cell as what is stored.
  form.addEventListener("submit", () => {
    saving = true;
    sheet.querySelectorAll("input.cell[name]").forEach((input) => {
      if (!changed(input)) {
        input.dataset.name = input.name;
        input.removeAttribute("name");
      }
    });
  });
  // Back to a page kept by the browser: its cells have their names again.
  window.addEventListener("pageshow", () => {
    saving = false;
    sheet.querySelectorAll("input.cell[data-name]").forEach((input) => {
      input.name = input.dataset.name;
    });
  });

  rows.forEach(updateRow);
  updateTotal();
  updateStatus();
  document.getElementById("sheet-problems")?.focus();
})();
