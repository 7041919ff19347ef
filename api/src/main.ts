import 'reflect-metadata';
import { createApp } from './app/create-app';
import { startupConfig } from './config/startup-config';

async function bootstrap(): Promise<void> {
  const config = startupConfig();
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  app
    .getHttpAdapter()
    .getInstance()
    .log.info(
      {
        url: `http://localhost:${config.port}`,
        role: config.role,
        workerId: config.workerId,
        database: config.database.type,
        redis: Boolean(config.redis),
      },
      'VidGen is running',
    );
}

bootstrap().catch((error) => {
  console.error(error);
  process.exit(1);
});
