export * from './schema';
export * from './format';
export * from './figures';
export * from './later';
export * from './retinanet';
export * from './ap';
