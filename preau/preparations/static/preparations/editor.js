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
import { EditorState, Plugin } from "prosemirror-state";
import { EditorView } from "prosemirror-view";
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
// document is no longer this person's (4403/4404).
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
      else if (update.length) unsendable = true; // (400, 413: this change cannot be stored)
      return;
    }
    sent = true;
    serverState = fromBase64(body.state);
    Y.applyUpdate(ydoc, fromBase64(body.update), "http");
    if (unsendable) {
      say(
        "Vos modifications sont trop volumineuses pour être envoyées (1 Mo au plus par envoi) : " +
          "elles restent dans ce navigateur mais ne sont pas enregistrées. " +
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
  } else if (state === "disconnected") {
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
    if (offlineCache && (event.code === 4403 || event.code === 4404)) offlineCache.clearData();
    const reasons = {
      4403: "La session est close ou vous n’êtes plus membre du groupe : document en lecture seule.",
      4404: "Ce document n’est pas accessible.",
      4413: "Une modification était trop grande : elle n’a pas été enregistrée.",
      4400: "Une modification illisible a été refusée.",
      4401: "Votre session de connexion a expiré : reconnectez-vous.",
    };
    say(reasons[event.code] || "Connexion refusée.");
  }
});

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
