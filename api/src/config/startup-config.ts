import { config as loadDotenv } from 'dotenv';
import { AppConfig, ConfigError, loadConfig } from './app-config';

/**
 * The settings of a process entry point (the server, `npm run migrate`): the environment plus a
 * `.env` in the working directory; a bad setting ends the process with its message and EX_CONFIG.
 */
export function startupConfig(): AppConfig {
  loadDotenv({ quiet: true });
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}
