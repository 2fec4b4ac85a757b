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
import { EditorState, Plugin, PluginKey } from "prosemirror-state";
import { Decoration, DecorationSet, EditorView } from "prosemirror-view";
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

const schema = new Schema({
  nodes: addListNodes(basicSchema.spec.nodes.remove("image"), "paragraph block*", "block"),
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

function cursorBuilder(user) {
  const cursor = document.createElement("span");
  cursor.classList.add("ProseMirror-yjs-cursor", `preau-coedit-colour-${user.colour ?? 0}`);
  const label = document.createElement("span");
  label.classList.add("preau-coedit-name");
  label.textContent = user.name || "";
  cursor.append(document.createTextNode("\u2060"), label, document.createTextNode("\u2060"));
  return cursor;
}

function selectionBuilder(user) {
  return { class: `ProseMirror-yjs-selection preau-coedit-selection-${user.colour ?? 0}` };
}

// Plain-HTTP saves while the websocket is down: the update typed, and the state vector so
// that the answer brings what others wrote.
let pending = [];
let httpTimer = null;
let httpBusy = false;
// Why the server refused this editor for good (a websocket closed with 44xx): stays on screen.
let refusal = null;

async function httpSync() {
  if (httpBusy || provider.wsconnected) return;
  httpBusy = true;
  const update = pending.length ? Y.mergeUpdates(pending) : new Uint8Array();
  const sent = pending.length;
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
      pending = [];
      return;
    }
    pending = pending.slice(sent);
    Y.applyUpdate(ydoc, fromBase64(body.update), "http");
    if (sent) say("Enregistré (connexion simple, sans le direct).");
  } catch (error) {
    say("Hors ligne : vos modifications seront envoyées au retour de la connexion.");
  } finally {
    httpBusy = false;
  }
}

ydoc.on("update", (update, origin) => {
  // (Changes restored from the offline cache are sent like typed ones.)
  if (origin === provider || origin === "http" || origin === "server") return;
  if (!provider.wsconnected) {
    pending.push(update);
    clearTimeout(httpTimer);
    httpTimer = setTimeout(httpSync, 500);
  }
});

setInterval(() => {
  if (!provider.wsconnected) httpSync();
}, HTTP_INTERVAL_MS);

provider.on("status", ({ status: state }) => {
  if (state === "connected") {
    pending = []; // the websocket's sync sends whatever the server lacks
    say("En direct : les modifications de chacun apparaissent aussitôt.");
  } else if (state === "disconnected" && !refusal) {
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

// Told of every new selection (the comment form reads it; ProseMirror updates its selection
// after the key and mouse events, so they are too early to read it).
let onSelection = null;
const selectionWatch = new Plugin({
  view: () => ({ update: (editorView) => onSelection && onSelection(editorView.state) }),
});

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
      selectionWatch,
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
// Comments on a passage: the selection's ends become Yjs relative positions (they stick to
// the characters selected through everyone's edits), sent base64 with the quoted text.
const commentForm = document.getElementById("comment-form");
if (commentForm) {
  const passage = document.getElementById("comment-passage");
  const hint = passage.textContent;
  let selected = null;
  const relative = (pos) => {
    const binding = ySyncPluginKey.getState(view.state).binding;
    return toBase64(
      Y.encodeRelativePosition(absolutePositionToRelativePosition(pos, fragment, binding.mapping)),
    );
  };
  const remember = (state) => {
    const { from, to } = state.selection;
    const text = from < to ? state.doc.textBetween(from, to, " ").trim() : "";
    if (!text) return; // (a click in the form keeps the passage chosen)
    selected = { quote: text, start: relative(from), end: relative(to) };
    passage.textContent = `Passage : « ${text.length > 120 ? text.slice(0, 119) + "…" : text} »`;
  };
  onSelection = remember;
  commentForm.addEventListener("submit", (event) => {
    if (!selected) {
      event.preventDefault();
      passage.textContent = hint;
      passage.classList.add("fr-error-text");
      return;
    }
    document.getElementById("comment-quote").value = selected.quote;
    document.getElementById("comment-start").value = selected.start;
    document.getElementById("comment-end").value = selected.end;
  });
}

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
