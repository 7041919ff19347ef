/** Queries that find things the way a person (or a screen reader) names them. */

/** Text as the accessibility tree sees it: aria-hidden parts (icons, markers) left out. */
export function accessibleText(element: Element): string {
  const clone = element.cloneNode(true) as Element;
  clone
    .querySelectorAll('[aria-hidden="true"]')
    .forEach((node) => node.remove());
  return (clone.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function nameOf(element: Element): string {
  return element.getAttribute('aria-label') ?? accessibleText(element);
}

function single<T extends Element>(found: T[], what: string): T {
  if (found.length !== 1)
    throw new Error(`Expected one ${what}, found ${found.length}`);
  return found[0];
}

export function getButton(root: ParentNode, name: string): HTMLButtonElement {
  const buttons = [
    ...root.querySelectorAll<HTMLButtonElement>('button, [role="button"]'),
  ];
  return single(
    buttons.filter((b) => nameOf(b) === name),
    `button "${name}"`,
  );
}

export function queryButton(
  root: ParentNode,
  name: string,
): HTMLButtonElement | null {
  const buttons = [
    ...root.querySelectorAll<HTMLButtonElement>('button, [role="button"]'),
  ];
  return buttons.find((b) => nameOf(b) === name) ?? null;
}

export function getLink(root: ParentNode, name: string): HTMLAnchorElement {
  const links = [...root.querySelectorAll<HTMLAnchorElement>('a[href]')];
  return single(
    links.filter((a) => nameOf(a) === name),
    `link "${name}"`,
  );
}

/** The input whose <label> reads exactly `label`. */
export function getField(root: ParentNode, label: string): HTMLInputElement {
  const labels = [...root.querySelectorAll('label')].filter(
    (l) => accessibleText(l) === label,
  );
  const input = single(labels, `label "${label}"`).control;
  if (!(input instanceof HTMLInputElement))
    throw new Error(`"${label}" labels no input`);
  return input;
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
  return [...root.querySelectorAll(`h${level}`)]
    .map((h) => accessibleText(h))
    .join(' ');
}

/** Types like a person: the value, then leaving the field. */
export function typeInto(input: HTMLInputElement, value: string): void {
  input.focus();
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  input.dispatchEvent(new Event('blur'));
}

/** Lets promises, timers queued now, router navigations and change detection finish. */
export async function settle(fixture: {
  whenStable(): Promise<unknown>;
}): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve));
  await fixture.whenStable();
}
