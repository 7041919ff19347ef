export * from './limits';
export * from './errors';
export * from './auth';
export * from './users';
export * from './health';
export * from './routes';
export * from './videos';
export * from './jobs';
