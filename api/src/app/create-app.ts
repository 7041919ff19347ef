import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import {
  API_KEY_PREFIX,
  API_PREFIX,
  MCP_PATH,
  OPENAI_PREFIX,
  SESSION_COOKIE,
} from '@vidgen/contracts';
import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import {
  answerClientError,
  answerFrameworkError,
  discardUnreadBodiesOnError,
  EdgeFastifyAdapter,
  refuseUnservableRequests,
} from '../common/http/http-edge';
import { useJsonObjectBodies } from '../common/http/json-body';
import { createValidationPipe } from '../common/http/validation';
import { createPino, JsonLogger } from '../common/logging/json-logger';
import { documentGlobalRules } from '../common/swagger/document-rules';
import { API_KEY_SCHEME, COOKIE_SCHEME } from '../auth/auth.decorators';
import { AppConfig } from '../config/app-config';
import { AppModule } from './app.module';
import { serveWebApp } from './web-app';

const REQUEST_ID = /^[\w.:-]{1,64}$/;

/** Builds the whole application (not yet listening); shared by main.ts and the e2e suites. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const pino = createPino(config.logLevel);
  const adapter = new EdgeFastifyAdapter({
    loggerInstance: pino,
    // Node would answer a request without Host itself, with an empty 400: it is refused in the
    // error shape by refuseUnservableRequests instead.
    http: { requireHostHeader: false },
    bodyLimit: config.bodyLimitBytes,
    // Longer than any request line Node accepts (its 16 KiB header limit), so an over-long id
    // reaches the route and gets the same 404 as any unknown id; the routes have no regex params.
    routerOptions: { maxParamLength: 16 * 1024 },
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
    trustProxy: config.trustProxy,
    // A caller's own request id is kept so its logs and ours can be joined.
    genReqId: (request: IncomingMessage) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: new JsonLogger(pino),
    // Our own JSON parser is installed below (useJsonObjectBodies).
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  useJsonObjectBodies(fastify);
  discardUnreadBodiesOnError(fastify);
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
  });

  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Angular and Material set inline style attributes.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
  });
  refuseUnservableRequests(fastify);

  // The OpenAI-compatible API and MCP keep the paths their clients expect.
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [OPENAI_PREFIX, `${OPENAI_PREFIX}/{*path}`, MCP_PATH.slice(1)],
  });
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  // A worker answers only health and metrics: no documentation, no web app.
  if (config.role === 'worker') return app;
  setUpSwagger(app);
  if (!(await serveWebApp(fastify, config.webDir))) {
    pino.warn(
      { webDir: config.webDir },
      'No web build found there; serving the API only (run `npx nx build web`).',
    );
  }
  return app;
}

function setUpSwagger(app: NestFastifyApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('VidGen API')
      .setDescription(
        'Self-hosted video generation platform. Authenticate with `Authorization: Bearer <accessToken>` ' +
          '(from /api/auth/login) or, in browsers, the session cookie plus the X-XSRF-TOKEN header on writes. ' +
          `Programs use a personal API key instead: \`Authorization: Bearer ${API_KEY_PREFIX}...\`.`,
      )
      .setVersion('1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .addBearerAuth(
        {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: `${API_KEY_PREFIX}...`,
          description:
            'A personal API key (POST /api/api-keys, or the Profile page), sent as `Authorization: Bearer vg_...`. ' +
            'It acts as its owner on every route that lists this scheme; the key, password, account and logout routes need a session.',
        },
        API_KEY_SCHEME,
      )
      .addCookieAuth(
        SESSION_COOKIE,
        { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
        COOKIE_SCHEME,
      )
      .build(),
  );
  SwaggerModule.setup(`${API_PREFIX}/docs`, app, documentGlobalRules(document), {
    jsonDocumentUrl: `${API_PREFIX}/docs-json`,
  });
}
