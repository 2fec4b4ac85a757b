// Content editor: after htmx swaps the editor (a move, an added section), keep the keyboard
// where it was. htmx itself gives focus back to an element with the same id; when the button
// that was pressed is gone (the item reached the top or the bottom), focus goes to the moved
// item instead, so that a keyboard or screen-reader user is not sent back to the page's top.
(function () {
  var moved = null;
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    moved = event.detail.elt.getAttribute("data-moved-item");
  });
  document.body.addEventListener("htmx:afterSettle", function () {
    var active = document.activeElement;
    if (moved && (!active || active === document.body)) {
      var item = document.getElementById(moved);
      if (item) {
        item.focus();
      }
    }
    moved = null;
  });
})();
