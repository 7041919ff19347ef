/** Queries that find things the way a person (or a screen reader) names them. */

/** Text as the accessibility tree sees it: aria-hidden parts (icons, markers) left out. */
export function accessibleText(element: Element): string {
  const clone = element.cloneNode(true) as Element;
  clone.querySelectorAll('[aria-hidden="true"]').forEach((node) => node.remove());
  return (clone.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** The first element matching `selector`; fails the test when there is none. */
export function getElement(root: ParentNode, selector: string): HTMLElement {
  const element = root.querySelector<HTMLElement>(selector);
  if (!element) throw new Error(`Nothing matches ${selector}`);
  return element;
}

/** What the first match of `selector` reads ('' when there is none). */
export function textOf(root: ParentNode, selector: string): string {
  const element = root.querySelector(selector);
  return element ? accessibleText(element) : '';
}

function nameOf(element: Element): string {
  return element.getAttribute('aria-label') ?? accessibleText(element);
}

function single<T extends Element>(found: T[], what: string): T {
  if (found.length !== 1) throw new Error(`Expected one ${what}, found ${found.length}`);
  return found[0];
}

export function getButton(root: ParentNode, name: string): HTMLButtonElement {
  const buttons = [...root.querySelectorAll<HTMLButtonElement>('button, [role="button"]')];
  return single(
    buttons.filter((b) => nameOf(b) === name),
    `button "${name}"`,
  );
}

export function queryButton(root: ParentNode, name: string): HTMLButtonElement | null {
  const buttons = [...root.querySelectorAll<HTMLButtonElement>('button, [role="button"]')];
  return buttons.find((b) => nameOf(b) === name) ?? null;
}

export function getLink(root: ParentNode, name: string): HTMLAnchorElement {
  const links = [...root.querySelectorAll<HTMLAnchorElement>('a[href]')];
  return single(
    links.filter((a) => nameOf(a) === name),
    `link "${name}"`,
  );
}

export type TextField = HTMLInputElement | HTMLTextAreaElement;

/** The input or textarea whose <label> reads exactly `label`. */
export function getField(root: ParentNode, label: string): TextField {
  const labels = [...root.querySelectorAll('label')].filter((l) => accessibleText(l) === label);
  const input = single(labels, `label "${label}"`).control;
  if (!(input instanceof HTMLInputElement) && !(input instanceof HTMLTextAreaElement))
    throw new Error(`"${label}" labels no input`);
  return input;
}

/** An element by ARIA role and accessible name (aria-label, aria-labelledby or its text). */
export function getByRole(root: ParentNode, role: string, name: string): HTMLElement {
  const found = [...root.querySelectorAll<HTMLElement>(`[role="${role}"]`)];
  return single(
    found.filter((e) => roleName(e) === name),
    `${role} "${name}"`,
  );
}

function roleName(element: Element): string {
  const labelledBy = element.getAttribute('aria-labelledby');
  if (labelledBy) {
    return labelledBy
      .split(/\s+/)
      .map((id) => element.ownerDocument.getElementById(id))
      .map((e) => (e ? accessibleText(e) : ''))
      .join(' ')
      .trim();
  }
  return nameOf(element);
}

/** The mat-select in the form field labelled `label`. */
export function getSelect(root: ParentNode, label: string): HTMLElement {
  const fields = [...root.querySelectorAll('mat-form-field')].filter(
    (f) => accessibleText(f.querySelector('mat-label') ?? f) === label,
  );
  const select = single(fields, `select "${label}"`).querySelector('mat-select');
  if (!(select instanceof HTMLElement)) throw new Error(`"${label}" labels no select`);
  return select;
}

/** Opens the mat-select labelled `label` and picks the option reading `option`. */
export async function chooseOption(
  fixture: { whenStable(): Promise<unknown> },
  root: ParentNode,
  label: string,
  option: string,
): Promise<void> {
  const select = getSelect(root, label);
  (select.querySelector('.mat-mdc-select-trigger') as HTMLElement).click();
  await settle(fixture);
  getByRole(document, 'option', option).click();
  await settle(fixture);
}

/** What Material shows under the field with this label ('' when nothing). */
export function errorUnder(root: ParentNode, label: string): string {
  const formField = getField(root, label).closest('mat-form-field');
  return [...(formField?.querySelectorAll('mat-error') ?? [])]
    .map((e) => accessibleText(e))
    .join(' ');
}

export function alertText(root: ParentNode): string {
  return [...root.querySelectorAll('[role="alert"]')]
    .map((a) => accessibleText(a))
    .filter(Boolean)
    .join(' ');
}

export function heading(root: ParentNode, level = 1): string {
  return [...root.querySelectorAll(`h${level}`)].map((h) => accessibleText(h)).join(' ');
}

/** Types like a person: the value, then leaving the field. */
export function typeInto(input: TextField, value: string): void {
  input.focus();
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  input.dispatchEvent(new Event('blur'));
}

/** Lets promises, timers queued now, router navigations and change detection finish. */
export async function settle(fixture: { whenStable(): Promise<unknown> }): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve));
  await fixture.whenStable();
}
