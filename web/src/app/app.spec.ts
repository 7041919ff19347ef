import { MediaMatcher } from '@angular/cdk/layout';
import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { ApiRoutes } from '@vidgen/contracts';
import { accessibleText, getButton, getLink, queryButton, settle } from '../testing/dom';
import { aUser, testProviders } from '../testing/providers';
import { App, PHONE_QUERY } from './app';
import { AuthService } from './core/auth/auth.service';

describe('App shell', () => {
  beforeEach(() => {
    TestBed.configureTestingModule({
      imports: [App],
      providers: testProviders(),
    });
  });

  async function render() {
    const fixture = TestBed.createComponent(App);
    await settle(fixture);
    return { fixture, shell: fixture.nativeElement as HTMLElement };
  }

  function menuItems(): string[] {
    return [...document.querySelectorAll('[role="menuitem"]')].map((item) => accessibleText(item));
  }

  it('shows the product name, and no account menu to a visitor', async () => {
    const { shell } = await render();

    expect(accessibleText(shell.querySelector('mat-toolbar') as Element)).toBe('VidGen');
    expect(queryButton(shell, 'Account menu')).toBeNull();
  });

  it('gives a logged-in person an account menu: their name, Profile, Webhooks, Log out', async () => {
    TestBed.inject(AuthService).setUser(aUser());
    const { fixture, shell } = await render();

    getButton(shell, 'Account menu').click();
    await settle(fixture);

    const panel = document.querySelector('.mat-mdc-menu-panel') as HTMLElement;
    expect(panel.textContent).toContain('Ada Lovelace');
    expect(panel.textContent).toContain('ada@example.com');
    expect(menuItems()).toEqual(['Profile', 'Webhooks', 'Log out']);
    expect(getLink(panel, 'Webhooks').getAttribute('href')).toBe('/webhooks');
  });

  it('gives a logged-in person Create and Library in the main navigation', async () => {
    TestBed.inject(AuthService).setUser(aUser());
    const { shell } = await render();

    const nav = shell.querySelector('nav[aria-label="Main"]') as HTMLElement;
    expect(getLink(nav, 'Create').getAttribute('href')).toBe('/create');
    expect(getLink(nav, 'Library').getAttribute('href')).toBe('/library');
  });

  it('shows the navigation as labelled buttons on wide screens', async () => {
    TestBed.inject(AuthService).setUser(aUser());
    const { shell } = await render();

    const create = getLink(shell, 'Create');
    expect(create.classList).not.toContain('mat-mdc-icon-button');
    expect(create.getAttribute('aria-label')).toBeNull();
  });

  it('shows the navigation as compact icon buttons, still named, on phones', async () => {
    TestBed.overrideProvider(MediaMatcher, { useValue: fakeMediaMatcher([PHONE_QUERY]) });
    TestBed.inject(AuthService).setUser(aUser());
    const { shell } = await render();

    for (const name of ['Create', 'Library']) {
      const link = getLink(shell, name);
      expect(link.classList).toContain('mat-mdc-icon-button');
      expect(link.getAttribute('aria-label')).toBe(name);
      expect(accessibleText(link)).toBe('');
    }
  });

  it('logs out from the account menu', async () => {
    TestBed.inject(AuthService).setUser(aUser());
    const { fixture, shell } = await render();
    getButton(shell, 'Account menu').click();
    await settle(fixture);

    getButton(document, 'Log out').click();
    TestBed.inject(HttpTestingController)
      .expectOne(ApiRoutes.logout)
      .flush(null, { status: 204, statusText: 'No Content' });
    await settle(fixture);

    expect(TestBed.inject(Router).url).toBe('/login');
    expect(queryButton(shell, 'Account menu')).toBeNull();
  });
});

/** A MediaMatcher for which exactly the `matching` queries match. */
function fakeMediaMatcher(matching: string[]): Pick<MediaMatcher, 'matchMedia'> {
  return {
    matchMedia: (query: string) =>
      ({
        matches: matching.includes(query),
        media: query,
        addListener: () => undefined,
        removeListener: () => undefined,
      }) as unknown as MediaQueryList,
  };
}
