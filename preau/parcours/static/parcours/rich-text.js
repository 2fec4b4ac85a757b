/*
 * Rich text for the page and trainer-note activities: each <textarea data-rich-text> becomes a
 * Trix editor (vendored, MIT licence) writing into a hidden input of the same name. Without
 * JavaScript the plain textarea stays, accepting simple HTML. Either way the server cleans the
 * HTML with nh3 before storing it. Files cannot be attached: they are "Fichier" activities.
 */
(function () {
  if (!window.Trix) {
    return;
  }
  Trix.config.lang = Object.assign({}, Trix.config.lang, {
    bold: "Gras",
    italic: "Italique",
    strike: "Barré",
    link: "Lien",
    heading1: "Titre",
    quote: "Citation",
    code: "Code",
    bullets: "Liste à puces",
    numbers: "Liste numérotée",
    outdent: "Diminuer le retrait",
    indent: "Augmenter le retrait",
    undo: "Annuler",
    redo: "Rétablir",
    attachFiles: "Joindre des fichiers",
    url: "Adresse",
    urlPlaceholder: "Saisissez une adresse…",
    linkAction: "Créer le lien",
    unlink: "Retirer le lien",
    remove: "Retirer",
    captionPlaceholder: "Ajoutez une légende…",
  });
  document.addEventListener("trix-file-accept", function (event) {
    event.preventDefault();
  });
  document.querySelectorAll("textarea[data-rich-text]").forEach(function (textarea) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.id = textarea.id + "-rich";
    input.name = textarea.name;
    input.value = textarea.value;
    var editor = document.createElement("trix-editor");
    editor.setAttribute("input", input.id);
    editor.classList.add("preau-rich-editor");
    var label = document.querySelector('label[for="' + textarea.id + '"]');
    if (label) {
      label.id = label.id || textarea.id + "-label";
      editor.setAttribute("aria-labelledby", label.id);
      label.setAttribute("for", input.id);
    }
    textarea.replaceWith(input, editor);
  });
})();
