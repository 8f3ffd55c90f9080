export * from './enums';
export * from './errors';
export * from './schemas';
export * from './text';
export * from './signals';
export * from './console';
export * from './console-verifications';
