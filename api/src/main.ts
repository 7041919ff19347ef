import 'reflect-metadata';
import { config as loadDotenv } from 'dotenv';
import { createApp } from './app/create-app';
import { ConfigError, loadConfig } from './config/app-config';

async function bootstrap(): Promise<void> {
  loadDotenv({ quiet: true });
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const app = await createApp(config);
  await app.listen(config.port, config.host);
  app
    .getHttpAdapter()
    .getInstance()
    .log.info(
      { url: `http://localhost:${config.port}`, database: config.database.type },
      'VidGen is running',
    );
}

bootstrap().catch((error) => {
  console.error(error);
  process.exit(1);
});
