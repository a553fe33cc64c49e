export * from './schema';
export * from './format';
export * from './figures';
