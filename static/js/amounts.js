// How the sheets read and show an amount (static/js/entry.js, static/js/receipts.js), as the server does:
// loaded before them on their pages, in a file of its own so that a strict Content-Security-Policy can
// forbid inline scripts.
window.budgetAmounts = (() => {
  // An amount as people type or paste it: "1,234,000", "1234000", "-50,000", "△50,000", "2,000원".
  // Blank is 0; anything else is not an amount (null), as budget.amounts.parse_amount has it.
  const normalise = (value) => value.replace(/[\s\u00a0]/g, "").replace(/원$/, "").replace(/^△/, "-");
  const parse = (value) => {
    const cleaned = normalise(value);
    if (cleaned === "") return 0;
    if (!/^[+-]?(\d{1,3}(,\d{3})+|\d+)$/.test(cleaned)) return null;
    return Number(cleaned.replace(/[,+]/g, ""));
  };
  const grouped = (digits) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const won = (n) => (n < 0 ? "△" : "") + grouped(String(Math.abs(n)));
  // Half-up to one decimal from integers, as budget.figures rounds: 6.25 shows 6.3.
  const rate = (part, base) => {
    if (!base) return "-";
    const tenths = Math.floor((Math.abs(part) * 2000 + base) / (2 * base));
    return (part < 0 && tenths ? "△" : "") + (tenths / 10).toFixed(1) + "%";
  };
  return { normalise, parse, grouped, won, rate };
})();
