/**
 * Public API of the focal-loss core. Import from 'lib/loss' (or '@/lib/loss').
 */
export * from './types';
export * from './stable';
export * from './focal';
export * from './binary';
export * from './softmax';
export * from './curves';
export * from './imbalance';
export * from './qualityFocal';
export * from './varifocal';
export * from './laterCurves';
