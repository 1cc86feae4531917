// Small behaviours kept out of the pages so that a strict Content-Security-Policy can forbid inline scripts.
document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-autosubmit]")) event.target.form.submit();
});
