export * from './errors.ts';
export * from './extension-identity.ts';
export * from './health.ts';
