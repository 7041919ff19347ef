import { ApiRoutes, ErrorCode } from '@vidgen/contracts';
import { startApp, TestApp } from './support/app';
import { expectApiError, expectValidationError } from './support/errors';
import { anonymous, withBearer } from './support/http';
import { createUser } from './support/users';

let api: TestApp;

beforeAll(async () => {
  api = await startApp();
});

afterAll(() => api?.close());

describe('GET /api/providers', () => {
  it('names the local preview, says it is not AI, and offers its lengths', async () => {
    const alice = await createUser(api);

    const response = await withBearer(api, alice).get(ApiRoutes.providers);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      active: {
        name: 'local',
        label: 'Local preview (not AI)',
        isLocalPreview: true,
        durationOptions: [5, 10, 15],
      },
    });
  });

  it('needs a session: 401 UNAUTHENTICATED', async () => {
    expectApiError(await anonymous(api).get(ApiRoutes.providers), 401, ErrorCode.Unauthenticated);
  });
});

describe('POST /api/videos and the provider', () => {
  it('defaults to the first length the provider offers', async () => {
    const alice = await createUser(api);

    const response = await withBearer(api, alice)
      .post(ApiRoutes.videos)
      .send({ prompt: 'A default length clip' });

    expect(response.status).toBe(202);
    expect(response.body.video.durationSeconds).toBe(5);
  });

  it('refuses a length outside what the API allows, naming durationSeconds', async () => {
    const alice = await createUser(api);

    const response = await withBearer(api, alice)
      .post(ApiRoutes.videos)
      .send({ prompt: 'Too long', durationSeconds: 21 });

    expectValidationError(response, 'durationSeconds');
  });
});
