export * from './auth.ts';
export * from './connections.ts';
export * from './errors.ts';
export * from './events.ts';
export * from './extension-identity.ts';
export * from './health.ts';
export * from './jobs.ts';
