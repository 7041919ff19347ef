import { DestroyRef, Directive, ElementRef, inject, output } from '@angular/core';

/**
 * Emits when the element scrolls near the viewport. Without IntersectionObserver nothing is
 * emitted, and the page's own button does the work.
 */
@Directive({ selector: '[appInView]' })
export class InViewDirective {
  readonly appInView = output<void>();

  constructor() {
    if (typeof IntersectionObserver === 'undefined') return;
    const element = inject<ElementRef<Element>>(ElementRef).nativeElement;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) this.appInView.emit();
      },
      { rootMargin: '0px 0px 400px 0px' },
    );
    observer.observe(element);
    inject(DestroyRef).onDestroy(() => observer.disconnect());
  }
}
