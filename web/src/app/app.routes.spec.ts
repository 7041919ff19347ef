import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { RouterTestingHarness } from '@angular/router/testing';
import { HttpTestingController } from '@angular/common/http/testing';
import { ApiRoutes } from '@vidgen/contracts';
import { provideFakeEventSources } from '../testing/fake-event-source';
import { aUser, testProviders } from '../testing/providers';
import { appRoutes } from './app.routes';
import { AuthService } from './core/auth/auth.service';

describe('app routes', () => {
  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [testProviders(appRoutes), provideFakeEventSources()],
    });
  });

  it('starts a logged-in person on Create', async () => {
    TestBed.inject(AuthService).setUser(aUser());
    const harness = await RouterTestingHarness.create('/');

    expect(TestBed.inject(Router).url).toBe('/create');
    expect(harness.routeNativeElement?.querySelector('h1')?.textContent).toBe('Create a video');
  });

  it.each(['/create', '/library', `/videos/abc`])(
    'asks a visitor to log in before %s',
    async (url) => {
      await RouterTestingHarness.create(url);

      expect(TestBed.inject(Router).url).toBe(`/login?returnUrl=${encodeURIComponent(url)}`);
    },
  );

  it('opens the Library for a logged-in person', async () => {
    TestBed.inject(AuthService).setUser(aUser());
    const harness = await RouterTestingHarness.create('/library');

    expect(harness.routeNativeElement?.querySelector('h1')?.textContent).toBe('Library');
    const httpTesting = TestBed.inject(HttpTestingController);
    httpTesting.expectOne((r) => r.url === ApiRoutes.videos);
    httpTesting.expectOne((r) => r.url === ApiRoutes.jobs);
  });
});
