import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { ApiRoutes, ErrorCode } from '@vidgen/contracts';
import { errorBody, testProviders } from '../../../testing/providers';
import { anAiProvider } from '../../../testing/videos';
import { NETWORK_ERROR_MESSAGE } from '../http/api-error';
import { ActiveProvider } from './active-provider';

describe('ActiveProvider', () => {
  let providers: ActiveProvider;
  let httpTesting: HttpTestingController;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: testProviders() });
    providers = TestBed.inject(ActiveProvider);
    httpTesting = TestBed.inject(HttpTestingController);
  });

  afterEach(() => httpTesting.verify());

  it('knows nothing until loaded', () => {
    expect(providers.info()).toBeNull();
    expect(providers.error()).toBeNull();
  });

  it('asks the API once, however many pages ask at the same time', async () => {
    const first = providers.load();
    const second = providers.load();

    const req = httpTesting.expectOne(ApiRoutes.providers);
    expect(req.request.method).toBe('GET');
    req.flush({ active: anAiProvider() });
    await Promise.all([first, second]);

    expect(providers.info()).toEqual(anAiProvider());
  });

  it('keeps the answer for the rest of the session', async () => {
    const loading = providers.load();
    httpTesting.expectOne(ApiRoutes.providers).flush({ active: anAiProvider() });
    await loading;

    await providers.load();

    httpTesting.expectNone(ApiRoutes.providers);
    expect(providers.info()?.label).toBe('Sora (chat-stream gateway)');
  });

  it('says why loading failed, and asks again on the next load', async () => {
    const failing = providers.load();
    httpTesting
      .expectOne(ApiRoutes.providers)
      .flush(errorBody(500, ErrorCode.InternalError, 'Something broke.'), {
        status: 500,
        statusText: 'Internal Server Error',
      });
    await failing;

    expect(providers.info()).toBeNull();
    expect(providers.error()).toBe('Something broke.');

    const retrying = providers.load();
    expect(providers.error()).toBeNull();
    httpTesting.expectOne(ApiRoutes.providers).flush({ active: anAiProvider() });
    await retrying;

    expect(providers.info()).toEqual(anAiProvider());
    expect(providers.error()).toBeNull();
  });

  it('turns an unreachable server into words', async () => {
    const failing = providers.load();
    httpTesting.expectOne(ApiRoutes.providers).error(new ProgressEvent('error'), { status: 0 });
    await failing;

    expect(providers.error()).toBe(NETWORK_ERROR_MESSAGE);
  });
});
