/** A stand-in for IntersectionObserver (jsdom has none): tests say when something scrolls into view. */
export class FakeIntersectionObserver {
  static instances: FakeIntersectionObserver[] = [];
  readonly targets = new Set<Element>();

  constructor(private readonly callback: IntersectionObserverCallback) {
    FakeIntersectionObserver.instances.push(this);
  }

  observe(target: Element): void {
    this.targets.add(target);
  }

  unobserve(target: Element): void {
    this.targets.delete(target);
  }

  disconnect(): void {
    this.targets.clear();
  }

  /** Scrolls `target` into view for every observer watching it. */
  static scrollIntoView(target: Element): void {
    for (const observer of FakeIntersectionObserver.instances) {
      if (!observer.targets.has(target)) continue;
      const entry = {
        isIntersecting: true,
        target,
      } as IntersectionObserverEntry;
      observer.callback([entry], observer as unknown as IntersectionObserver);
    }
  }

  static install(): () => void {
    const original = (globalThis as { IntersectionObserver?: unknown }).IntersectionObserver;
    FakeIntersectionObserver.instances = [];
    Object.assign(globalThis, {
      IntersectionObserver: FakeIntersectionObserver,
    });
    return () => Object.assign(globalThis, { IntersectionObserver: original });
  }
}
