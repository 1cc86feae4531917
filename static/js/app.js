// Small behaviours kept out of the pages so that a strict Content-Security-Policy can forbid inline scripts.
document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-autosubmit]")) event.target.form.submit();
});
// A form that cannot be undone by its user asks first (month close).
document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});
