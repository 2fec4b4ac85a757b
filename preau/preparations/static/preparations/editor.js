// The live editor of a collective preparation: ProseMirror bound to a Yjs document
// (y-prosemirror), synchronised through the server's websocket (y-websocket's protocol, see
// preau/preparations/consumers.py), with the others' cursors (name and colour), and a plain
// HTTP save when the websocket cannot connect (a proxy that blocks it).
//
// Loaded as an ES module through the import map of the page (vendored files, no bundler:
// bin/vendor-coedit). CSP: no inline style is set (colours are classes, set through CSSOM
// where needed), no eval.
import * as Y from "yjs";
import { WebsocketProvider } from "y-websocket";
import { IndexeddbPersistence } from "y-indexeddb";
import {
  ySyncPlugin,
  ySyncPluginKey,
  yCursorPlugin,
  yUndoPlugin,
  undo,
  redo,
  absolutePositionToRelativePosition,
  relativePositionToAbsolutePosition,
} from "y-prosemirror";
import { EditorState, Plugin, PluginKey, TextSelection } from "prosemirror-state";
import { EditorView, Decoration, DecorationSet } from "prosemirror-view";
import { Schema } from "prosemirror-model";
import { schema as basicSchema } from "prosemirror-schema-basic";
import { addListNodes } from "prosemirror-schema-list";
import { keymap } from "prosemirror-keymap";
import { baseKeymap, toggleMark } from "prosemirror-commands";

const COLOURS = 8; // preau-coedit-colour-0 … 7 in editor.css
const PASTE_MAX_CHARS = 200000; // the server refuses an update over 1 MB
const HTTP_INTERVAL_MS = 4000;

const config = JSON.parse(document.getElementById("preparation-editor").textContent);
const mount = document.getElementById("preparation-live");
const status = document.getElementById("preparation-status");
const readOnlyCopy = document.getElementById("preparation-content");

function say(text) {
  if (status) status.textContent = text;
}

function fromBase64(text) {
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

function toBase64(bytes) {
  let raw = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    raw += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(raw);
}

// A pasted `<ol start="x">` got the order NaN, which the server refuses (its bounds:
// crdt._attribute_ok): the change was refused and the editor stopped sending. A start that is
// not a whole number within those bounds is read as 1.
const ORDER_MAX = 1000000000;
function listOrder(dom) {
  const order = Number(dom.getAttribute("start") ?? 1);
  return Number.isInteger(order) && Math.abs(order) <= ORDER_MAX ? order : 1;
}
const listNodes = addListNodes(basicSchema.spec.nodes.remove("image"), "paragraph block*", "block");
const schema = new Schema({
  nodes: listNodes.update("ordered_list", {
    ...listNodes.get("ordered_list"),
    parseDOM: [{ tag: "ol", getAttrs: (dom) => ({ order: listOrder(dom) }) }],
  }),
  marks: basicSchema.spec.marks,
});

const ydoc = new Y.Doc();
// The stored document, so that the page shows it before (or without) any websocket.
Y.applyUpdate(ydoc, fromBase64(config.state), "server");
const fragment = ydoc.getXmlFragment("prosemirror");

// The offline cache: every change is also kept in the browser (IndexedDB, y-indexeddb), so
// that what was typed while the server was unreachable survives a reload or a closed tab and
// is sent when the page is open again online (the websocket's sync, or the HTTP save, sends
// whatever the server lacks; the CRDT merges it). One cache per document and person (a
// shared school computer); none for a read-only session. Emptied when the server says the
// document is no longer this person's (4403/4404) or refuses a change as too large (4413),
// and by the sign-out's Clear-Site-Data header (preau/accounts/views.py).
const cacheName = `preau-preparation-${config.document}-${config.user.id}`;
const offlineCache =
  !config.readOnly && window.indexedDB ? new IndexeddbPersistence(cacheName, ydoc) : null;

const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
const base = config.liveUrl || `${scheme}//${window.location.host}`;
const provider = new WebsocketProvider(`${base}/ws/preparations`, `${config.document}/`, ydoc, {
  disableBc: true, // every tab goes through the server (which stores)
  maxBackoffTime: 10000,
});
const colour = config.user.id % COLOURS;
provider.awareness.setLocalStateField("user", { name: config.user.name, colour });

// One of the 8 colour classes (the server writes `colour`; never trust it as a class name).
function colourOf(user) {
  const number = Number.parseInt(user?.colour, 10);
  return Number.isInteger(number) && number >= 0 ? number % COLOURS : 0;
}

function cursorBuilder(user) {
  const cursor = document.createElement("span");
  cursor.classList.add("ProseMirror-yjs-cursor", `preau-coedit-colour-${colourOf(user)}`);
  const label = document.createElement("span");
  label.classList.add("preau-coedit-name");
  label.textContent = typeof user?.name === "string" ? user.name : "";
  cursor.append(document.createTextNode("\u2060"), label, document.createTextNode("\u2060"));
  return cursor;
}

function selectionBuilder(user) {
  return { class: `ProseMirror-yjs-selection preau-coedit-selection-${colourOf(user)}` };
}

// Plain-HTTP saves while the websocket is down. Each sends what the server lacks, computed
// from the server's state vector (from its last answer; the first request only asks for it):
// whatever was typed and not stored — before the websocket went down, or while a dead socket
// swallowed it, or restored from the offline cache — goes, not only what was typed since. The
// answer carries what others wrote and the server's new state vector.
const UPDATE_MAX_BYTES = 1000000; // the server refuses more in one update
let serverState = null; // the server's state vector, unknown until it answers over HTTP
let dirty = false; // local changes (deletions show only here: they write no new item)
let unsendable = false; // refused for good (too large, unreadable): kept in the browser
let httpTimer = null;
let httpBusy = false;
// Why the server refused this editor for good (a websocket closed with 44xx): stays on screen.
let refusal = null;
let httpStopped = false;

function hasNewItems(update) {
  const { from, to } = Y.parseUpdateMeta(update);
  for (const [client, clock] of to) if (clock > (from.get(client) ?? 0)) return true;
  return false;
}

async function httpSync() {
  if (httpBusy || httpStopped || provider.wsconnected) return;
  httpBusy = true;
  const wasDirty = dirty;
  dirty = false;
  let update = new Uint8Array();
  if (serverState && !unsendable) {
    const missing = Y.encodeStateAsUpdate(ydoc, serverState);
    if (wasDirty || hasNewItems(missing)) update = missing;
  }
  if (update.length > UPDATE_MAX_BYTES) {
    unsendable = true;
    update = new Uint8Array();
  }
  let sent = false;
  try {
    const response = await fetch(config.updateUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": config.csrf },
      credentials: "same-origin",
      body: JSON.stringify({
        update: update.length ? toBase64(update) : "",
        state: toBase64(Y.encodeStateVector(ydoc)),
      }),
    });
    const body = await response.json();
    if (!response.ok) {
      say(body.error || "Enregistrement refusé.");
      if (response.status === 403 || response.status === 404) httpStopped = true;
      // (400, 413: this change cannot be stored; its reason stays the one shown)
      else if (update.length) unsendable = body.error || true;
      return;
    }
    sent = true;
    serverState = fromBase64(body.state);
    Y.applyUpdate(ydoc, fromBase64(body.update), "http");
    if (unsendable) {
      say(
        typeof unsendable === "string"
          ? unsendable
          : "Vos modifications sont trop volumineuses pour être envoyées (1 Mo au plus par " +
              "envoi) : elles restent dans ce navigateur mais ne sont pas enregistrées. " +
              "Copiez votre texte avant de fermer la page.",
      );
    } else if (
      dirty ||
      (wasDirty && !update.length) ||
      hasNewItems(Y.encodeStateAsUpdate(ydoc, serverState))
    ) {
      dirty = true;
      clearTimeout(httpTimer);
      httpTimer = setTimeout(httpSync, 0); // (the first answer: now send what it lacks)
    } else {
      say("Enregistré (connexion simple, sans le direct).");
    }
  } catch (error) {
    say("Hors ligne : vos modifications seront envoyées au retour de la connexion.");
  } finally {
    if (!sent) dirty = dirty || wasDirty;
    httpBusy = false;
  }
}

ydoc.on("update", (update, origin) => {
  // (Changes restored from the offline cache are sent like typed ones.)
  if (origin === provider || origin === "http" || origin === "server") return;
  dirty = true;
  if (!provider.wsconnected) {
    clearTimeout(httpTimer);
    httpTimer = setTimeout(httpSync, 500);
  }
});

setInterval(() => {
  if (!provider.wsconnected) httpSync();
}, HTTP_INTERVAL_MS);

provider.on("status", ({ status: state }) => {
  if (state === "connected") {
    say("En direct : les modifications de chacun apparaissent aussitôt.");
  } else if (state === "disconnected" && !refusal) {
    // What the server holds is unknown again: the next HTTP save asks, then sends the rest.
    serverState = null;
    dirty = true;
    say("Connexion en direct interrompue : enregistrement par envois simples.");
  }
});

provider.ws?.addEventListener?.("close", () => {});
provider.on("connection-close", (event) => {
  if (event && event.code >= 4400 && event.code < 4500) {
    // Refused for good (closed session, no access, invalid change): do not retry.
    provider.shouldConnect = false;
    // A change refused as too large (or for a full document) would be sent again from the
    // cache at every reload, and refused again: the cache goes, the server's copy stays.
    if (offlineCache && [4403, 4404, 4413].includes(event.code)) offlineCache.clearData();
    const reasons = {
      4403: "La session est close ou vous n’êtes plus membre du groupe : document en lecture seule.",
      4404: "Ce document n’est pas accessible.",
      4413: "Une modification était trop grande : elle n’a pas été enregistrée.",
      4400: "Une modification illisible a été refusée.",
      4401: "Votre session de connexion a expiré : reconnectez-vous.",
    };
    // The server says why in the close frame when it can (« Ce document est plein… »).
    refusal = event.reason || reasons[event.code] || "Connexion refusée.";
    say(refusal);
  }
});

// « Qui a écrit quoi » (off by default): each paragraph, heading or list item's paragraph is
// marked with the colour of the person who wrote most of its characters (a class, see
// editor.css), with a title naming who wrote it; a legend and a text list say the same. Who
// wrote with which editor (Yjs client id) comes from the server (config.authorsUrl); the
// characters' client ids come from the Yjs items themselves, which keep them through the
// server's compactions and everyone's edits.
const authorshipKey = new PluginKey("preau-authorship");
const authorshipPlugin = new Plugin({
  key: authorshipKey,
  state: {
    init: () => DecorationSet.empty,
    apply(tr, set) {
      const fresh = tr.getMeta(authorshipKey);
      return fresh !== undefined ? fresh : set.map(tr.mapping, tr.doc);
    },
  },
  props: { decorations: (state) => authorshipKey.getState(state) },
});

// Characters per client id in a block's Yjs element (its texts, and those of inline nodes).
function charactersByClient(yelement, counts = new Map()) {
  for (const child of yelement.toArray()) {
    if (child instanceof Y.XmlText) {
      for (let item = child._start; item !== null; item = item.right) {
        if (!item.deleted && item.countable) {
          counts.set(item.id.client, (counts.get(item.id.client) || 0) + item.length);
        }
      }
    } else if (child instanceof Y.XmlElement) {
      charactersByClient(child, counts);
    }
  }
  return counts;
}

// The text blocks of the ProseMirror document beside their Yjs elements (y-prosemirror keeps
// the two trees alike: the n-th child of a node is the n-th child of its element).
function textBlocks(node, start, ytype, out = []) {
  const ychildren = ytype.toArray();
  node.forEach((child, offset, index) => {
    const ychild = ychildren[index];
    if (!(ychild instanceof Y.XmlElement) || ychild.nodeName !== child.type.name) return;
    const pos = start + offset;
    if (child.isTextblock) {
      out.push({ from: pos, to: pos + child.nodeSize, text: child.textContent, ychild });
    } else {
      textBlocks(child, pos + 1, ychild, out);
    }
  });
  return out;
}

// « Écrit par Camille Arnaud (et Louis Bernard) »: who wrote most first.
function writtenBy(names, written = "Écrit") {
  const others = names.length > 1 ? ` (et ${names.slice(1).join(", ")})` : "";
  return `${written} par ${names[0]}${others}`;
}

const authorship = {
  on: false,
  data: { clients: {}, authors: [] },
  unknown: new Set(), // client ids the last answer did not name (the template's, older text)
  fetching: null, // the request on its way
  retry: null,
  timer: null,
  root: document.getElementById("authorship"),
  toggle: document.getElementById("authorship-toggle"),
  panel: document.getElementById("authorship-panel"),
  legend: document.getElementById("authorship-legend"),
  list: document.getElementById("authorship-blocks"),
};

// Who wrote with which editor, from the server (one request at a time: a second caller
// waits for the answer on its way).
function fetchAuthors() {
  if (!authorship.fetching) {
    authorship.fetching = fetch(config.authorsUrl, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : null))
      .then((data) => {
        if (data) authorship.data = data;
      })
      .catch(() => {}) // offline: the marks stay as the last answer made them
      .finally(() => {
        authorship.fetching = null;
      });
  }
  return authorship.fetching;
}

function markAuthors() {
  if (!authorship.on) return;
  const { clients, authors } = authorship.data;
  const decorations = [];
  const present = new Set();
  const unknown = new Set();
  authorship.list.replaceChildren();
  for (const block of textBlocks(view.state.doc, 0, fragment)) {
    const byAuthor = new Map();
    for (const [client, count] of charactersByClient(block.ychild)) {
      const author = clients[String(client)];
      if (author === undefined) unknown.add(client);
      else byAuthor.set(author, (byAuthor.get(author) || 0) + count);
    }
    if (!byAuthor.size) continue;
    // Most characters first; a tie goes to the one who wrote first in the document.
    const order = [...byAuthor.keys()].sort((a, b) => byAuthor.get(b) - byAuthor.get(a) || a - b);
    const names = order.map((author) => authors[author].name);
    order.forEach((author) => present.add(author));
    decorations.push(
      Decoration.node(block.from, block.to, {
        class: `preau-author preau-author-colour-${authors[order[0]].colour}`,
        title: writtenBy(names),
      }),
    );
    const item = document.createElement("li");
    const excerpt = block.text.length > 60 ? `${block.text.slice(0, 59)}…` : block.text;
    item.textContent = `« ${excerpt} » : ${writtenBy(names, "écrit")}`;
    authorship.list.append(item);
  }
  authorship.legend.replaceChildren(
    ...[...present].sort((a, b) => a - b).map((author) => {
      const item = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.classList.add("preau-author-swatch", `preau-author-colour-${authors[author].colour}`);
      swatch.setAttribute("aria-hidden", "true");
      item.append(swatch, document.createTextNode(authors[author].name));
      return item;
    }),
  );
  if (!present.size) {
    const item = document.createElement("li");
    item.textContent = "Aucun paragraphe n’a encore d’auteur connu.";
    authorship.legend.append(item);
  }
  const marks = DecorationSet.create(view.state.doc, decorations);
  view.dispatch(view.state.tr.setMeta(authorshipKey, marks));
  // Someone who just began writing: ask the server who it is (once more a little later, in
  // case their first change was still on its way when it answered).
  const fresh = [...unknown].some((client) => !authorship.unknown.has(client));
  authorship.unknown = unknown;
  if (fresh && !authorship.retry) {
    authorship.retry = setTimeout(async () => {
      await fetchAuthors();
      authorship.retry = null;
      markAuthors();
    }, 1500);
  }
}

function scheduleMarks() {
  if (!authorship.on) return;
  clearTimeout(authorship.timer);
  authorship.timer = setTimeout(markAuthors, 300);
}

if (authorship.root && config.authorsUrl) {
  authorship.root.hidden = false;
  authorship.toggle.addEventListener("click", async () => {
    authorship.on = !authorship.on;
    authorship.toggle.setAttribute("aria-pressed", String(authorship.on));
    authorship.panel.hidden = !authorship.on;
    if (authorship.on) {
      await fetchAuthors();
      authorship.unknown = new Set();
      markAuthors();
    } else {
      clearTimeout(authorship.timer);
      authorship.legend.replaceChildren();
      authorship.list.replaceChildren();
      view.dispatch(view.state.tr.setMeta(authorshipKey, DecorationSet.empty));
    }
  });
  ydoc.on("update", scheduleMarks);
}

// The comments beside the document: the form, the highlighted passages (section at the end).
const comments = createComments();

const view = new EditorView(mount, {
  state: EditorState.create({
    schema,
    plugins: [
      ySyncPlugin(fragment),
      yCursorPlugin(provider.awareness, { cursorBuilder, selectionBuilder }),
      yUndoPlugin(),
      keymap({
        "Mod-z": undo,
        "Mod-y": redo,
        "Mod-Shift-z": redo,
        "Mod-b": toggleMark(schema.marks.strong),
        "Mod-i": toggleMark(schema.marks.em),
      }),
      keymap(baseKeymap),
      comments.plugin,
      authorshipPlugin,
    ],
  }),
  editable: () => !config.readOnly,
  handlePaste(_view, _event, slice) {
    if (slice.content.size > PASTE_MAX_CHARS) {
      say("Ce collage est trop long : collez-le en plusieurs fois (200 000 caractères au plus).");
      return true; // handled: nothing inserted
    }
    return false;
  },
  attributes: { "aria-label": config.label, role: "textbox", "aria-multiline": "true" },
});

// The server's rendering was for readers without the editor.
if (readOnlyCopy) readOnlyCopy.hidden = true;
mount.hidden = false;
comments.start();

// The text now between two stored anchors (base64), or null if the passage is gone.
function passage(start, end) {
  const mapping = ySyncPluginKey.getState(view.state).binding.mapping;
  const at = (b64) =>
    relativePositionToAbsolutePosition(
      ydoc,
      fragment,
      Y.decodeRelativePosition(fromBase64(b64)),
      mapping,
    );
  const from = at(start);
  const to = at(end);
  return from === null || to === null || from > to
    ? null
    : view.state.doc.textBetween(from, to, " ");
}

// For tests (browser journeys compare through the Yjs model, not the screen's text).
window.preauCoedit = { ydoc, provider, view, Y, offlineCache, passage };

// Comments ------------------------------------------------------------------------------------
//
// The list beside the document (server-rendered; htmx swaps a comment, or the whole list, after
// each action) gives each unresolved comment's anchors: two Yjs relative positions, base64
// (data-comment-start / -end). Here:
// - the comment form: the selection's ends become such anchors (they stick to the characters
//   selected through everyone's edits), sent base64 with the quoted text;
// - the commented passages highlighted in the editor (inline decorations, class
//   preau-comment-passage; classes, never inline styles: CSP), recomputed from the anchors when
//   the document changes (a change from Yjs: at once; a change typed here: mapped at once, then
//   recomputed from Yjs once y-prosemirror has written it there) and when the list changes;
// - a comment clicked or focused in the list highlights its passage more (…--active; a click
//   scrolls to it); « Voir le passage » selects the passage in the editor; the comment whose
//   passage holds the cursor is marked in the list (preau-comment--here);
// - a passage whose every character was deleted is not highlighted: its comment shows
//   « passage supprimé » beside its quote;
// - the others' changes: each browser counts the changes it made to the comments in its
//   awareness state (relayed like the cursors, stored nowhere); a count that moves in another
//   browser reloads the list here, or offers to (« actualiser ») when that would lose a text
//   being typed in it or a deletion being confirmed.
// Function declarations (hoisted): the plugin is made before the editor, wired after it.
function createComments() {
  const key = new PluginKey("preau-comments");
  const section = () => document.getElementById("commentaires");
  let view = null;
  let anchors = []; // { id, start, end }: Y.RelativePosition, read from the list
  let selected = null; // the passage chosen for a new comment
  let refreshTimer = null;
  let listed = ""; // what the list last showed (to touch it only when that changes)

  function announce(text) {
    const region = document.getElementById("comment-announce");
    if (!region) return;
    region.textContent = "";
    setTimeout(() => (region.textContent = text), 50); // (the same words twice are said twice)
  }

  function short(text) {
    return text.length > 120 ? text.slice(0, 119) + "…" : text;
  }

  function readAnchors() {
    anchors = [];
    for (const item of section()?.querySelectorAll("[data-comment-start]") ?? []) {
      try {
        anchors.push({
          id: item.dataset.comment,
          start: Y.decodeRelativePosition(fromBase64(item.dataset.commentStart)),
          end: Y.decodeRelativePosition(fromBase64(item.dataset.commentEnd)),
        });
      } catch (error) {
        // An anchor that does not decode is not highlighted (the server checked it, though).
      }
    }
  }

  // Whether a Yjs type or one of its ancestors is deleted (a paragraph removed with the text).
  function deletedType(type) {
    for (let t = type; t && t._item; t = t._item.parent) if (t._item.deleted) return true;
    return false;
  }

  function absolute(relative, binding) {
    const decoded = Y.createAbsolutePositionFromRelativePosition(relative, ydoc);
    if (decoded === null || deletedType(decoded.type)) return null;
    return relativePositionToAbsolutePosition(ydoc, fragment, relative, binding.mapping);
  }

  // The passages' ranges in the state's document, and the ids of those deleted.
  function resolve(state) {
    const ranges = new Map();
    const gone = new Set();
    const binding = ySyncPluginKey.getState(state)?.binding;
    if (!binding) return { ranges, gone };
    const size = state.doc.content.size;
    for (const { id, start, end } of anchors) {
      let from;
      let to;
      try {
        from = absolute(start, binding);
        to = absolute(end, binding);
      } catch (error) {
        continue; // (y-prosemirror's mapping being rebuilt: the next change recomputes)
      }
      const found =
        from !== null && to !== null && from < to && to <= size
          ? state.doc.textBetween(from, to, " ").trim()
          : "";
      if (found) ranges.set(id, { from, to });
      else gone.add(id);
    }
    return { ranges, gone };
  }

  function decorate(doc, ranges, active) {
    const decorations = [];
    for (const [id, { from, to }] of ranges) {
      const name = "preau-comment-passage";
      decorations.push(
        Decoration.inline(
          from,
          to,
          { class: id === active ? `${name} ${name}--active` : name, "data-comment": id },
          { comment: id },
        ),
      );
    }
    return DecorationSet.create(doc, decorations);
  }

  // The comment whose passage holds the cursor (or the selection), if any.
  function commentAt(state, ranges) {
    const { from, to } = state.selection;
    for (const [id, range] of ranges) if (from >= range.from && to <= range.to) return id;
    return null;
  }

  // The list shows which passages are deleted, which can be shown, which holds the cursor.
  function showInList(state) {
    const { ranges, gone } = key.getState(state);
    const here = commentAt(state, ranges);
    const shown = `${[...ranges.keys()]}|${[...gone]}|${here}`;
    if (shown === listed) return;
    listed = shown;
    for (const item of section()?.querySelectorAll("[data-comment-start]") ?? []) {
      const id = item.dataset.comment;
      const badge = item.querySelector("[data-comment-gone]");
      if (badge) badge.hidden = !gone.has(id);
      const show = item.querySelector("[data-comment-show]");
      if (show) show.hidden = !ranges.has(id);
      item.classList.toggle("preau-comment--here", id === here);
    }
  }

  // The comment form's passage: the selection, as anchors (ProseMirror updates its selection
  // after the key and mouse events, so they are too early to read it: the view's update is not).
  function rememberSelection(state) {
    const hint = document.getElementById("comment-passage");
    if (!hint) return;
    const { from, to } = state.selection;
    const text = from < to ? state.doc.textBetween(from, to, " ").trim() : "";
    if (!text) return; // (a click in the form keeps the passage chosen)
    const mapping = ySyncPluginKey.getState(state).binding.mapping;
    const relative = (pos) =>
      toBase64(
        Y.encodeRelativePosition(absolutePositionToRelativePosition(pos, fragment, mapping)),
      );
    selected = { quote: text, start: relative(from), end: relative(to) };
    showSelected();
  }

  function showSelected() {
    const hint = document.getElementById("comment-passage");
    if (!hint || !selected) return;
    hint.textContent = `Passage : « ${short(selected.quote)} »`;
    hint.classList.remove("fr-error-text");
  }

  function dispatch(meta) {
    if (view && !view.isDestroyed) view.dispatch(view.state.tr.setMeta(key, meta));
  }

  function refreshSoon() {
    if (refreshTimer !== null) return;
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      dispatch({ refresh: true });
    }, 0);
  }

  // A comment chosen in the list: its passage highlighted more; scrolled to, or selected in
  // the editor (« Voir le passage »).
  function choose(id, how) {
    dispatch({ active: id });
    const range = key.getState(view.state).ranges.get(id);
    if (!range) return;
    if (how === "select") {
      const { doc, tr } = view.state;
      const passageSelection = TextSelection.create(doc, range.from, range.to);
      view.dispatch(tr.setSelection(passageSelection).scrollIntoView());
      view.focus();
      const text = short(doc.textBetween(range.from, range.to, " "));
      announce(`Passage commenté, sélectionné dans le document : « ${text} »`);
    } else if (how === "scroll") {
      const selector = `.preau-comment-passage[data-comment="${CSS.escape(id)}"]`;
      view.dom.querySelector(selector)?.scrollIntoView({ block: "nearest" });
    }
  }

  const plugin = new Plugin({
    key,
    state: {
      init: () => ({
        ranges: new Map(),
        gone: new Set(),
        active: null,
        decorations: DecorationSet.empty,
      }),
      apply(tr, previous, _oldState, state) {
        const meta = tr.getMeta(key) || {};
        const active = "active" in meta ? meta.active : previous.active;
        if (meta.refresh || ySyncPluginKey.getState(state)?.isChangeOrigin) {
          const { ranges, gone } = resolve(state);
          return { ranges, gone, active, decorations: decorate(state.doc, ranges, active) };
        }
        if (tr.docChanged) {
          const ranges = new Map();
          for (const [id, { from, to }] of previous.ranges) {
            const mappedFrom = tr.mapping.map(from, 1);
            const mappedTo = tr.mapping.map(to, -1);
            if (mappedFrom < mappedTo) ranges.set(id, { from: mappedFrom, to: mappedTo });
          }
          const decorations = decorate(state.doc, ranges, active);
          return { ranges, gone: previous.gone, active, decorations };
        }
        if (active !== previous.active) {
          return { ...previous, active, decorations: decorate(state.doc, previous.ranges, active) };
        }
        return previous;
      },
    },
    props: { decorations: (state) => key.getState(state).decorations },
    view(editorView) {
      view = editorView;
      return {
        update(updated, previousState) {
          const fromYjs = ySyncPluginKey.getState(updated.state)?.isChangeOrigin;
          if (updated.state.doc !== previousState.doc && !fromYjs) refreshSoon();
          rememberSelection(updated.state);
          showInList(updated.state);
        },
      };
    },
  });

  let changes = 0; // the changes made here (this browser's awareness field « comments »)
  const seen = new Map(); // another browser's awareness client id → its count, last seen

  function othersChanged({ added, updated }) {
    const states = provider.awareness.getStates();
    let moved = false;
    for (const client of [...added, ...updated]) {
      if (client === provider.awareness.clientID) continue;
      const count = states.get(client)?.comments ?? 0;
      if (seen.has(client) && seen.get(client) !== count) moved = true;
      seen.set(client, count);
    }
    if (moved) reloadList();
  }

  function reloadList() {
    const list = section();
    const button = document.getElementById("comment-refresh");
    if (!list || !button) return;
    const typing = [...list.querySelectorAll("textarea")].some((box) => box.value.trim());
    if (typing || list.querySelector(".preau-comment__confirm, [id^='supprimer-question']")) {
      button.hidden = false;
      announce("Les commentaires ont changé : « actualiser » les affiche.");
    } else {
      button.click(); // (htmx: data-hx-get)
    }
  }

  function start() {
    provider.awareness.on("change", othersChanged);
    // Listeners on the document: htmx replaces the list's elements.
    document.addEventListener(
      "submit",
      (event) => {
        if (event.target.id !== "comment-form") return;
        if (!selected) {
          event.preventDefault();
          event.stopPropagation(); // (before htmx's listener on the form)
          const hint = document.getElementById("comment-passage");
          hint.classList.add("fr-error-text");
          hint.textContent =
            "Sélectionnez d’abord un passage dans le document, puis écrivez votre commentaire.";
          return;
        }
        document.getElementById("comment-quote").value = selected.quote;
        document.getElementById("comment-start").value = selected.start;
        document.getElementById("comment-end").value = selected.end;
      },
      true, // capture: runs before htmx reads the form
    );
    document.addEventListener("click", (event) => {
      const item = event.target.closest?.("#commentaires [data-comment-start]");
      if (!item || !view) return;
      if (event.target.closest("[data-comment-show]")) choose(item.dataset.comment, "select");
      else if (!event.target.closest("a, button, summary, textarea, form")) {
        choose(item.dataset.comment, "scroll");
      }
    });
    document.addEventListener("focusin", (event) => {
      const item = event.target.closest?.("#commentaires [data-comment-start]");
      if (item && view) choose(item.dataset.comment, "none");
    });
    document.addEventListener("htmx:afterSettle", (event) => {
      const target = event.target;
      if (!(target instanceof Element) || !target.closest("#commentaires")) return;
      const list = section();
      if (list.hasAttribute("data-comment-added")) {
        list.removeAttribute("data-comment-added");
        selected = null; // (the comment is made: the next needs a new selection)
      } else {
        showSelected();
      }
      const notice = target.querySelector("[data-comment-notice]");
      if (notice) announce(notice.textContent.trim());
      if (target.querySelector("[data-comment-changed]")) {
        changes += 1;
        provider.awareness.setLocalStateField("comments", changes);
      }
      readAnchors();
      listed = "";
      dispatch({ refresh: true });
    });
    readAnchors();
    dispatch({ refresh: true });
  }

  return { plugin, start };
}
