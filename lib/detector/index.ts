/**
 * Public API of the toy RetinaNet: anchors, box coding and NMS, anchor assignment, the network, training and
 * inference. Import from 'lib/detector' (or '@/lib/detector'). Figure 4 lives in lib/metrics/fig4.
 */
export * from './anchors';
export * from './boxes';
export * from './assign';
export * from './model';
export * from './train';
export * from './infer';
