import serverPackage from '../package.json' with { type: 'json' };

export const serverVersion: string = serverPackage.version;
