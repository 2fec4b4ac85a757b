// The "Imprimer" button of the printable catalogue: hidden without JavaScript, where the
// browser's own print command does the same.
document.querySelectorAll("[data-preau-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
