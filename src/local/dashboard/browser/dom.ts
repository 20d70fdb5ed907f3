/** The page's elements, looked up by id; a missing one is a bug in the page shell. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`dashboard: no element #${id}`);
  return node as T;
}

type Props = Record<string, string>;

/** An element with text (never markup: job data comes from workers), attributes and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props & { text?: string; className?: string } = {},
  children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (name === "text") node.textContent = value;
    else if (name === "className") node.className = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child);
  return node;
}

const SVG = "http://www.w3.org/2000/svg";

export function svg(tag: string, attrs: Record<string, string | number>): SVGElement {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  return node;
}

/** A `<dl>` of name/value pairs. */
export function renderFacts(dl: HTMLElement, facts: [string, Node | string | number][]): void {
  dl.replaceChildren(
    ...facts.flatMap(([name, value]) => [
      el("dt", { text: name }),
      el("dd", {}, [value instanceof Node ? value : String(value)]),
    ]),
  );
}

/** Appends only the entries not shown yet, so a screen reader announces just the new ones. */
export function renderLog<T>(
  list: HTMLElement,
  entries: T[],
  describe: (entry: T) => (Node | string)[],
): void {
  if (list.children.length > entries.length) list.replaceChildren();
  for (const entry of entries.slice(list.children.length))
    list.append(el("li", {}, describe(entry)));
}
