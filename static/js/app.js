// Small behaviours kept out of the pages so that a strict Content-Security-Policy can forbid inline scripts.
document.addEventListener("change", (event) => {
  if (!event.target.matches("select[data-autosubmit]")) return;
  const form = event.target.form;
  // The months offered are the year's own: a month picked for another year is left out, and the page
  // answers with the new year's default month.
  if (event.target.name === "year" && form.elements.as_of) form.elements.as_of.disabled = true;
  form.submit();
});
// A form that cannot be undone by its user asks first (month close).
document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});
