import { ApiRoutes } from '@vidgen/contracts';
import { randomBytes } from 'node:crypto';
import { Test } from 'supertest';
import { startApp, TestApp } from './support/app';
import { expectValidationError } from './support/errors';
import { anonymous, withBearer } from './support/http';
import { FakeFfmpeg, hangingFfmpeg } from './support/media';
import { createUser, CreatedUser, uniqueEmail, uniquePassword } from './support/users';
import { createVideo, postVideo } from './support/videos';

// Text people see: display names, prompts and titles. No video needs to finish: an ffmpeg that
// never ends keeps the machine quiet.
let ffmpeg: FakeFfmpeg;
let api: TestApp;

beforeAll(async () => {
  ffmpeg = await hangingFfmpeg();
  api = await startApp({ FFMPEG_PATH: ffmpeg.path, JOB_CONCURRENCY: '1' });
});

afterAll(async () => {
  await api?.close();
  await ffmpeg?.remove();
});

const REFUSED: [string, string][] = [
  ['a NUL', 'a\u0000b'],
  ['a right-to-left override', 'abc\u202Etxt.exe'],
  ['a bell (BEL)', 'ding\u0007'],
  ['a lone surrogate', 'broken \ud800 half'],
];

const ACCEPTED: [string, string][] = [
  ['emoji', '🎬 Paper boat 🌧️'],
  ['Arabic', 'قارب ورقي في المطر'],
  ['Hebrew', 'סירת נייר בגשם'],
];

interface Field {
  /** The request that sends `text` in the field, and the field as the answer shows it. */
  send(user: CreatedUser, text: string): Promise<{ request: Test; stored: () => Promise<string> }>;
}

const displayNameAtRegister: Field = {
  async send(_user, text) {
    const email = uniqueEmail();
    const request = anonymous(api)
      .post(ApiRoutes.register)
      .send({ email, password: uniquePassword(), displayName: text });
    return {
      request,
      stored: async () => (await request).body.user.displayName as string,
    };
  },
};

const displayNameOfProfile: Field = {
  async send(user, text) {
    const request = withBearer(api, user).patch(ApiRoutes.profile).send({ displayName: text });
    return {
      request,
      stored: async () => {
        await request;
        return (await withBearer(api, user).get(ApiRoutes.me)).body.user.displayName as string;
      },
    };
  },
};

const prompt: Field = {
  async send(user, text) {
    const request = postVideo(api, user, { prompt: text, durationSeconds: 1 });
    return {
      request,
      stored: async () => {
        const { video } = (await request).body;
        return (await withBearer(api, user).get(ApiRoutes.video(video.id))).body.video.prompt;
      },
    };
  },
};

const title: Field = {
  async send(user, text) {
    const { video } = await createVideo(api, user);
    const request = withBearer(api, user).patch(ApiRoutes.video(video.id)).send({ title: text });
    return {
      request,
      stored: async () => {
        await request;
        return (await withBearer(api, user).get(ApiRoutes.video(video.id))).body.video.title;
      },
    };
  },
};

describe.each([
  ['displayName', 'POST /api/auth/register', displayNameAtRegister],
  ['displayName', 'PATCH /api/users/me', displayNameOfProfile],
  ['prompt', 'POST /api/videos', prompt],
  ['title', 'PATCH /api/videos/:id', title],
])('%s of %s', (field, _route, subject) => {
  it.each(REFUSED)('refuses %s: 400 naming the field, with a sentence', async (_case, text) => {
    const user = await createUser(api);
    const { request } = await subject.send(user, text);

    const [detail] = expectValidationError(await request, field).details ?? [];
    expect(detail.message).toMatch(new RegExp(`^${field} .{10,}\\.$`));
  });

  it.each(ACCEPTED)('keeps %s as written', async (_case, text) => {
    const user = await createUser(api);
    const { stored } = await subject.send(user, text);

    expect(await stored()).toBe(text);
  });

  it('stores an accent typed as two code points composed (NFC)', async () => {
    const user = await createUser(api);
    const { stored } = await subject.send(user, 'Cafe\u0301 Rene\u0301e');

    expect(await stored()).toBe('Café Renée');
  });
});

describe('line breaks', () => {
  it('are kept in a prompt, each as \\n', async () => {
    const user = await createUser(api);
    const text = 'A paper boat.\r\nRain falls.\n\n\tThe end.';

    const { video } = await createVideo(api, user, { prompt: text });

    expect(video.prompt).toBe('A paper boat.\nRain falls.\n\n\tThe end.');
  });

  it('become one space in a title, which is one line', async () => {
    const user = await createUser(api);
    const { video } = await createVideo(api, user);

    const response = await withBearer(api, user)
      .patch(ApiRoutes.video(video.id))
      .send({ title: 'Paper boat\r\n\tin the rain' });

    expect(response.body.video.title).toBe('Paper boat in the rain');
  });
});

describe('emails', () => {
  const local = () => `jose\u0301-${randomBytes(4).toString('hex')}`;

  it('refuses a lone surrogate at register: 400 naming email, not 500', async () => {
    const response = await anonymous(api)
      .post(ApiRoutes.register)
      .set('Content-Type', 'application/json')
      .send('{"email":"\\ud800@x.com","password":"a-good-password"}');

    expectValidationError(response, 'email');
  });

  it('refuses a lone surrogate at login: 400 naming email', async () => {
    const response = await anonymous(api)
      .post(ApiRoutes.login)
      .set('Content-Type', 'application/json')
      .send('{"email":"\\udfff@x.com","password":"a-good-password"}');

    expectValidationError(response, 'email');
  });

  it('refuses a text-direction control, which would show in the default display name', async () => {
    const response = await anonymous(api)
      .post(ApiRoutes.register)
      .send({
        email: `\u202Egnp.${randomBytes(4).toString('hex')}@x.com`,
        password: uniquePassword(),
      });

    expectValidationError(response, 'email');
  });

  it('are one account however the accent and the case are typed', async () => {
    const name = local();
    const password = uniquePassword();
    const { user } = await createUser(api, {
      email: ` ${name.toUpperCase()}@Example.COM `,
      password,
    });

    const composed = `${name.normalize('NFC')}@example.com`;
    expect(user.email).toBe(composed);
    const login = await anonymous(api)
      .post(ApiRoutes.login)
      .send({ email: `${name.toUpperCase()}@EXAMPLE.com`, password });
    expect(login.status).toBe(200);
    const again = await anonymous(api)
      .post(ApiRoutes.register)
      .send({ email: composed, password: uniquePassword() });
    expect(again.status).toBe(409);
  });

  it('count failed logins under the normalised email, however it is typed', async () => {
    const name = local();
    const spellings = [
      `${name}@x.com`,
      `${name.toUpperCase()}@X.COM`,
      ` ${name.normalize('NFC')}@x.com`,
    ];

    for (const email of spellings) {
      const response = await anonymous(api)
        .post(ApiRoutes.login)
        .send({ email, password: 'not-the-password' });
      expect(response.status).toBe(401);
    }

    const rows = await api.db.select<{ email: string; failure_count: number }>(
      'SELECT email, failure_count FROM login_failures WHERE email LIKE ?',
      [`%${name.slice(-8)}%`],
    );
    expect(rows.map((row) => ({ ...row, failure_count: Number(row.failure_count) }))).toEqual([
      { email: `${name.normalize('NFC')}@x.com`, failure_count: 3 },
    ]);
  });
});
