// The script that reads a page inside Chromium: its visible text as blocks with their positions,
// and its interactive elements, each numbered with a `data-ponder-ref` attribute so the model
// can click or type by number. It is plain JavaScript in a string because it runs in the page,
// where the DOM exists; the TypeScript build has no DOM types on purpose (Node code must not
// use them by accident). Positions are relative to the viewport, so "what is on screen" is
// right whether the window or an inner panel scrolls.

export const refAttribute = "data-ponder-ref";

/** What the script returns; `top`/`bottom` are CSS pixels relative to the viewport's top edge. */
export type PageSnapshot = {
  title: string;
  url: string;
  viewportHeight: number;
  blocks: { text: string; top: number; bottom: number }[];
  elements: PageElement[];
  /** True when the page had more text than the script collects. */
  truncated: boolean;
};

export type PageElement = {
  ref: number;
  /** "link", "button", "text field", "checkbox", ... */
  kind: string;
  name: string;
  /** Where a link goes, a field's placeholder and value, a box's state. */
  detail: string;
  top: number;
  bottom: number;
};

export type SnapshotOptions = { maxTotalCharacters: number; maxRefs: number; nameCharacters: number };

const snapshotFunction = String.raw`(options) => {
  const refAttribute = ${JSON.stringify(refAttribute)};
  const clean = (text) => (text || "").replace(/\s+/g, " ").trim();
  const cut = (text, length) => (text.length > length ? text.slice(0, length - 1) + "…" : text);
  const skipped = "script,style,noscript,template,head";
  const displays = new Map();
  const displayOf = (element) => {
    let display = displays.get(element);
    if (display === undefined) {
      display = getComputedStyle(element).display;
      displays.set(element, display);
    }
    return display;
  };
  // The element a text node's line belongs to: its nearest ancestor that is not inline.
  const blockOf = (element) => {
    let current = element;
    while (current !== document.body && current.parentElement && displayOf(current).startsWith("inline")) current = current.parentElement;
    return current;
  };

  const blocks = [];
  let open;
  let total = 0;
  let truncated = false;
  const range = document.createRange();
  const walker = document.createTreeWalker(document.body || document.documentElement, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const raw = node.nodeValue;
    if (!raw || !raw.trim()) continue;
    const parent = node.parentElement;
    if (!parent || parent.closest(skipped)) continue;
    if (!parent.checkVisibility({ visibilityProperty: true, checkVisibilityCSS: true, opacityProperty: true, checkOpacity: true })) continue;
    range.selectNodeContents(node);
    const rect = range.getBoundingClientRect();
    if (rect.width === 0 && rect.height === 0) continue;
    const lines = range.getClientRects();
    const start = lines[0] || rect;
    const end = lines[lines.length - 1] || rect;
    const block = blockOf(parent);
    // Cells of one table row become one line, "a | b | c", instead of a line per cell.
    const key = displayOf(block) === "table-cell" && block.parentElement ? block.parentElement : block;
    if (open && open.key === key) {
      // Text that goes on below, or after a gap (a space, a field, an image), was separate words;
      // text that touches the previous text continues the same word ("<b>Bold</b>er").
      const apart = start.top >= open.end.bottom - 2 || start.left > open.end.right + 1;
      open.text += (open.block !== block ? " | " : apart ? " " : "") + raw;
      open.block = block;
      open.top = Math.min(open.top, rect.top);
      open.bottom = Math.max(open.bottom, rect.bottom);
      open.end = end;
    } else {
      if (open) blocks.push(open);
      open = { key, block, text: raw, top: rect.top, bottom: rect.bottom, end };
    }
    total += raw.length;
    if (total > options.maxTotalCharacters) {
      truncated = true;
      break;
    }
  }
  if (open) blocks.push(open);

  const interactive = "a[href], button, input:not([type=hidden]), textarea, select, summary, [role=button], [role=link], " +
    "[role=checkbox], [role=radio], [role=switch], [role=tab], [role=menuitem], [role=option], [role=textbox], " +
    "[role=searchbox], [role=combobox], [contenteditable=''], [contenteditable=true], [onclick]";
  // Kinds come from fixed lists, never from the page's own attribute values: Ponder repeats
  // them outside the untrusted block ("Clicked [3] button.").
  const fieldTypes = ["text", "search", "email", "url", "tel", "number", "password", "date", "time", "datetime-local", "month", "week", "color", "range", "file"];
  const roles = { button: "button", link: "link", checkbox: "checkbox", radio: "radio", switch: "switch", tab: "tab", menuitem: "menu item", option: "option", combobox: "combobox" };
  const kindOf = (element) => {
    const tag = element.tagName.toLowerCase();
    const role = element.getAttribute("role");
    const type = (element.getAttribute("type") || "text").toLowerCase();
    if (tag === "a") return "link";
    if (tag === "button" || (tag === "input" && ["submit", "button", "reset", "image"].includes(type))) return "button";
    if (tag === "input" && (type === "checkbox" || type === "radio")) return type;
    if (tag === "input") return (fieldTypes.includes(type) ? type : "text") + " field";
    if (tag === "textarea") return "text area";
    if (tag === "select") return "select";
    if (tag === "summary") return "toggle";
    if (role === "textbox" || role === "searchbox" || element.isContentEditable) return "text field";
    return Object.hasOwn(roles, role) ? roles[role] : "clickable";
  };
  const isField = (element) => ["input", "textarea", "select"].includes(element.tagName.toLowerCase());
  const labelledBy = (element) => {
    const ids = (element.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
    return clean(ids.map((id) => document.getElementById(id)?.innerText || "").join(" "));
  };
  const nameOf = (element) => {
    const label = clean(element.getAttribute("aria-label")) || labelledBy(element);
    if (label) return label;
    if (isField(element)) {
      const fromLabel = clean([...(element.labels || [])].map((item) => item.innerText).join(" "));
      const type = (element.getAttribute("type") || "").toLowerCase();
      if (["submit", "button", "reset"].includes(type)) return clean(element.value) || fromLabel;
      return fromLabel || clean(element.getAttribute("placeholder")) || clean(element.getAttribute("name")) || clean(element.title);
    }
    const image = element.querySelector("img[alt]");
    return clean(element.innerText) || clean(element.title) || clean(image && image.getAttribute("alt")) || clean(element.getAttribute("name"));
  };
  const hrefOf = (element) => {
    const href = element.href;
    if (!href) return "";
    try {
      const target = new URL(href);
      return target.origin === location.origin ? target.pathname + target.search + target.hash : href;
    } catch {
      return href;
    }
  };
  const detailOf = (element, name) => {
    const parts = [];
    const tag = element.tagName.toLowerCase();
    const type = (element.getAttribute("type") || "").toLowerCase();
    if (tag === "a") parts.push("-> " + cut(hrefOf(element), 120));
    if (tag === "select") {
      const selected = [...element.selectedOptions].map((option) => clean(option.text)).join(", ");
      parts.push("selected " + JSON.stringify(cut(selected, options.nameCharacters)));
      parts.push("options " + JSON.stringify(cut([...element.options].map((option) => clean(option.text)).join(" / "), 160)));
    } else if (type === "checkbox" || type === "radio") {
      parts.push(element.checked ? "checked" : "not checked");
    } else if (isField(element) && !["submit", "button", "reset", "image"].includes(type)) {
      const placeholder = clean(element.getAttribute("placeholder"));
      if (placeholder && placeholder !== name) parts.push("placeholder " + JSON.stringify(cut(placeholder, options.nameCharacters)));
      if (type === "password") parts.push(element.value ? "(a password is filled in)" : "(empty)");
      else parts.push(element.value ? "value " + JSON.stringify(cut(clean(element.value), options.nameCharacters)) : "(empty)");
    } else if (element.getAttribute("aria-checked")) {
      parts.push(element.getAttribute("aria-checked") === "true" ? "checked" : "not checked");
    }
    if (element.disabled || element.getAttribute("aria-disabled") === "true") parts.push("(disabled)");
    return parts.join(" ");
  };

  for (const old of document.querySelectorAll("[" + refAttribute + "]")) old.removeAttribute(refAttribute);
  const elements = [];
  for (const element of document.querySelectorAll(interactive)) {
    if (elements.length >= options.maxRefs) break;
    if (!element.checkVisibility({ visibilityProperty: true, checkVisibilityCSS: true })) continue;
    const rect = element.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) continue;
    const ref = elements.length + 1;
    element.setAttribute(refAttribute, String(ref));
    const name = cut(nameOf(element), options.nameCharacters);
    elements.push({ ref, kind: kindOf(element), name, detail: detailOf(element, name), top: rect.top, bottom: rect.bottom });
  }

  return {
    title: clean(document.title),
    url: location.href,
    viewportHeight: window.innerHeight,
    blocks: blocks.map((block) => ({ text: clean(block.text), top: block.top, bottom: block.bottom })).filter((block) => block.text),
    elements,
    truncated,
  };
}`;

/** The expression `page.evaluate` runs: the function applied to its options. */
export function snapshotExpression(options: SnapshotOptions): string {
  return `(${snapshotFunction})(${JSON.stringify(options)})`;
}
