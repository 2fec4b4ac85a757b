/*
 * Rich text for the page and trainer-note activities: each <textarea data-rich-text> becomes a
 * Trix editor (vendored, MIT licence) writing into a hidden input of the same name. Without
 * JavaScript the plain textarea stays, accepting simple HTML. Either way the server cleans the
 * HTML with nh3 before storing it. Files cannot be attached: they are "Fichier" activities.
 *
 * Accessibility (RGAA): the field's <label> names the editor itself (the focusable element),
 * the toolbar is a named toolbar whose buttons the Tab key reaches and Enter or Space
 * activate, and everything the toolbar says is in French.
 */
(function () {
  if (!window.Trix) {
    return;
  }
  // Trix.config is frozen, but the lang object inside is the one the toolbar is built from:
  // change it in place (assigning a new object to Trix.config.lang is silently ignored).
  Object.assign(Trix.config.lang, {
    attachFiles: "Joindre des fichiers",
    bold: "Gras",
    bullets: "Liste à puces",
    byte: "octet",
    bytes: "octets",
    captionPlaceholder: "Ajoutez une légende…",
    code: "Code",
    heading1: "Titre",
    indent: "Augmenter le retrait",
    italic: "Italique",
    link: "Lien",
    numbers: "Liste numérotée",
    outdent: "Diminuer le retrait",
    quote: "Citation",
    redo: "Rétablir",
    remove: "Retirer",
    strike: "Barré",
    undo: "Annuler",
    unlink: "Retirer le lien",
    url: "Adresse du lien",
    urlPlaceholder: "Saisissez une adresse…",
    GB: "Go",
    KB: "Ko",
    MB: "Mo",
    PB: "Po",
    TB: "To",
  });

  // Trix takes its buttons out of the Tab order (tabindex="-1"): put them back. The file
  // button goes: files are refused here anyway.
  var defaultToolbar = Trix.config.toolbar.getDefaultHTML;
  Trix.config.toolbar.getDefaultHTML = function () {
    var row = document.createElement("div");
    row.innerHTML = defaultToolbar();
    row.querySelectorAll('[tabindex="-1"]').forEach(function (button) {
      button.removeAttribute("tabindex");
    });
    row.querySelectorAll('[data-trix-button-group="file-tools"]').forEach(function (group) {
      group.remove();
    });
    return row.innerHTML;
  };

  // Trix acts on mousedown, so a button activated by the keyboard (Enter or Space fire a
  // click whose detail is 0) would do nothing: replay it as the mousedown Trix listens to.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(
      "trix-toolbar [data-trix-attribute], trix-toolbar [data-trix-action]"
    );
    if (button && event.detail === 0) {
      button.dispatchEvent(new MouseEvent("mousedown", { bubbles: true, cancelable: true }));
    }
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
    var toolbar = document.createElement("trix-toolbar");
    toolbar.id = textarea.id + "-toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", "Mise en forme du texte");
    var editor = document.createElement("trix-editor");
    // The editor takes the textarea's id: the label's for="…" and the error messages'
    // aria-describedby go on pointing at the field the person types in.
    editor.id = textarea.id;
    editor.setAttribute("input", input.id);
    editor.setAttribute("toolbar", toolbar.id);
    ["aria-describedby", "aria-invalid", "aria-required"].forEach(function (name) {
      if (textarea.hasAttribute(name)) {
        editor.setAttribute(name, textarea.getAttribute(name));
      }
    });
    editor.classList.add("preau-rich-editor");
    var label = document.querySelector('label[for="' + textarea.id + '"]');
    if (label) {
      label.id = label.id || textarea.id + "-label";
      editor.setAttribute("aria-labelledby", label.id);
    }
    textarea.replaceWith(input, toolbar, editor);
  });
})();
