// After a form comes back with errors, move focus to the summary so that it is read out first
// and the links to each wrong field are one Tab away.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
});
